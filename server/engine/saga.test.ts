// Saga compensation and parallel paths.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { FakeClock } from './clock.js';
import { NonRetryableError } from './errors.js';
import { buildGraph, lineOfSteps } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function bookingActions(options: { failUndoOf?: string } = {}) {
  const calls: string[] = [];
  const book = defineAction({
    name: 'book',
    description: 'test: books something, or fails for good when told to',
    input: z.object({ what: z.string(), fail: z.boolean().default(false) }),
    run({ what, fail }) {
      calls.push(`book ${what}`);
      if (fail) throw new NonRetryableError(`${what} is sold out`, { code: 'SOLD_OUT' });
      return { reference: `${what}-ref` };
    },
  });
  const undo = defineAction({
    name: 'undo',
    description: 'test: cancels a booking',
    input: z.object({ reference: z.string() }),
    run({ reference }) {
      calls.push(`undo ${reference}`);
      if (reference === options.failUndoOf) throw new NonRetryableError(`cannot cancel ${reference}`);
      return { cancelled: reference };
    },
  });
  return { actions: [book, undo], calls };
}

const trip = lineOfSteps(
  ['flight', 'hotel', 'car'].map((what) => ({
    id: what,
    action: 'book',
    input: { what, fail: what === 'car' },
    compensate: { action: 'undo', input: { reference: `{{ nodes.${what}.reference }}` } },
  })),
);

describe('saga', () => {
  it('C failing for good compensates B then A, in history, and the run ends failed with compensated: true', async () => {
    const { actions, calls } = bookingActions();
    harness = await createHarness({ actions });
    const run = await harness.run(trip);
    expect(calls).toEqual(['book flight', 'book hotel', 'book car', 'undo hotel-ref', 'undo flight-ref']);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'SOLD_OUT', nodeId: 'car', compensated: true });
    const types = await harness.historyTypes(run.id);
    expect(types.slice(types.indexOf('stepFailed:car'))).toEqual([
      'stepFailed:car',
      'nodeCompleted:car',
      'compensationStarted',
      'compensationAttemptStarted:hotel',
      'compensationCompleted:hotel',
      'compensationAttemptStarted:flight',
      'compensationCompleted:flight',
      'runFailed:car',
    ]);
    const started = (await harness.engine.history(run.id)).find((event) => event.type === 'compensationAttemptStarted');
    expect(started?.data).toMatchObject({ action: 'undo', idempotencyKey: `${run.id}:hotel:1:compensate` });
  });

  it('a compensation that fails is listed, the others still run', async () => {
    const { actions, calls } = bookingActions({ failUndoOf: 'hotel-ref' });
    harness = await createHarness({ actions });
    const run = await harness.run(trip);
    expect(calls.slice(3)).toEqual(['undo hotel-ref', 'undo flight-ref']);
    expect(run.error).toMatchObject({ compensated: false, compensationsFailed: [{ nodeId: 'hotel', visit: 1, error: { message: 'cannot cancel hotel-ref' } }] });
  });

  it('a failure taken by an error port is handled, not compensated', async () => {
    const { actions, calls } = bookingActions();
    harness = await createHarness({ actions });
    const graph = buildGraph(
      [
        ['start', 'start'],
        ['flight', 'step', { action: 'book', input: { what: 'flight' }, compensate: { action: 'undo', input: { reference: 'x' } } }],
        ['car', 'step', { action: 'book', input: { what: 'car', fail: true } }],
        ['walk', 'end', { output: '{{ "no car: " & nodes.car.error.message }}' }],
        ['end', 'end'],
      ],
      ['start.next -> flight', 'flight.ok -> car', 'car.ok -> end', 'car.error -> walk'],
    );
    const run = await harness.run(graph);
    expect(run.status).toBe('completed');
    expect(run.output).toBe('no car: car is sold out');
    expect(calls).toEqual(['book flight', 'book car']);
  });

  it('a fail node fails the run with its rendered message after compensating', async () => {
    const { actions, calls } = bookingActions();
    harness = await createHarness({ actions });
    const graph = buildGraph(
      [
        ['start', 'start'],
        ['flight', 'step', { action: 'book', input: { what: 'flight' }, compensate: { action: 'undo', input: { reference: '{{ nodes.flight.reference }}' } } }],
        ['stop', 'fail', { message: 'Trip for {{ input.who }} cancelled' }],
      ],
      ['start.next -> flight', 'flight.ok -> stop'],
    );
    const run = await harness.run(graph, { who: 'Ada' });
    expect(calls).toEqual(['book flight', 'undo flight-ref']);
    expect(run.error).toMatchObject({ code: 'FAILED_BY_NODE', message: 'Trip for Ada cancelled', nodeId: 'stop', compensated: true });
  });
});

describe('parallel and join', () => {
  it('two branches with different waits: the join continues once, after the later one', async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1));
    const after: number[] = [];
    const noteTime = defineAction({ name: 'after-join', description: 'test', input: z.object({}), run: () => void after.push(clock.now()) });
    harness = await createHarness({ clock, actions: [noteTime] });
    const graph = buildGraph(
      [
        ['start', 'start'],
        ['split', 'parallel'],
        ['short', 'wait', { duration: '1h' }],
        ['long', 'wait', { duration: '3h' }],
        ['both', 'join'],
        ['then', 'step', { action: 'after-join' }],
        ['end', 'end'],
      ],
      ['start.next -> split', 'split.branches -> short', 'split.branches -> long', 'short.next -> both', 'long.next -> both', 'both.next -> then', 'then.ok -> end'],
    );
    const { versionId } = await harness.publish(graph);
    const t0 = clock.now();
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).waitingOn.map((wait) => wait.nodeId).sort()).toEqual(['long', 'short']);
    clock.advance('1h');
    await harness.worker.drain();
    const halfway = await harness.engine.getRun(id);
    expect(halfway.status).toBe('waiting');
    expect(halfway.waitingOn.map((wait) => wait.nodeId)).toEqual(['long']);
    expect(after).toEqual([]);
    clock.advance('2h');
    await harness.worker.drain();
    expect(after).toEqual([t0 + 3 * 3_600_000]);
    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('completed');
    const types = await harness.historyTypes(id);
    expect(types.filter((type) => type === 'nodeCompleted:both')).toHaveLength(1);
    expect(types.filter((type) => type === 'joinArrived:both')).toHaveLength(1);
  });

  it('a join that can no longer be reached fails the run clearly', async () => {
    harness = await createHarness();
    const graph = buildGraph(
      [['start', 'start'], ['choose', 'branch', { condition: '{{ true }}' }], ['a', 'wait', { duration: '1s' }], ['both', 'join'], ['end', 'end']],
      ['start.next -> choose', 'choose.true -> both', 'choose.false -> a', 'a.next -> both', 'both.next -> end'],
    );
    const run = await harness.run(graph);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'JOIN_UNREACHABLE', nodeId: 'both' });
  });
});
