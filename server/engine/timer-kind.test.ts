// A new timer-like kind is one spec file and one kind file: "wait until a weekday at a time" (the
// fixtures in fixtures/weekday-kind/), registered beside the product's kinds and run on the real
// engine — real database, real worker — with the FakeClock.
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import { defineNodeKind } from '../../shared/nodes/kind.js';
import { getNodeKind, nodeKindList } from '../../shared/nodes/registry.js';
import { validateGraph } from '../../shared/validate.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';
import { FakeClock } from './clock.js';
import { indexGraph } from './core/graph-index.js';
import { initialState, transition } from './core/interpreter.js';
import { registerKind } from './core/kinds/index.js';
import { weekdayExecutor } from './fixtures/weekday-kind/weekday.executor.js';
import { weekdayNode } from './fixtures/weekday-kind/weekday.node.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Thursday, 1 January 2026, midnight UTC. */
const THURSDAY = Date.UTC(2026, 0, 1);

beforeAll(() => registerKind(weekdayNode, weekdayExecutor));

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const weekdayGraph = (config: Record<string, unknown>) =>
  buildGraph(
    [['start', 'start'], ['standup', 'weekday', config], ['end', 'end', { output: '{{ { "resumedAt": $millis() } }}' }]],
    ['start.next -> standup', 'standup.next -> end'],
  );

describe('a timer-like kind added as one spec file and one kind file', () => {
  it('is in the one registry: the palette lists it and the validator checks its config', () => {
    expect(getNodeKind('weekday')).toBe(weekdayNode);
    expect(nodeKindList).toContain(weekdayNode);
    expect(validateGraph(weekdayGraph({ weekday: 'mon', at: '09:30' })).ok).toBe(true);
  });

  it('waits on the real engine until Monday 09:30 UTC, not a millisecond before, holding no worker', async () => {
    const clock = new FakeClock(THURSDAY);
    harness = await createHarness({ clock });
    const { versionId } = await harness.publish(weekdayGraph({ weekday: 'mon', at: '09:30' }));
    const { id } = await harness.engine.startRun({ versionId, input: {} });
    await harness.worker.drain();
    const due = Date.UTC(2026, 0, 5, 9, 30);
    const parked = await harness.engine.getRun(id);
    expect(parked).toMatchObject({ status: 'waiting', leaseOwner: null });
    expect(parked.waitingOn).toEqual([{ nodeId: 'standup', kind: 'timer', until: new Date(due).toISOString() }]);
    expect(await harness.count('SELECT COUNT(*) FROM timers WHERE instance_id = ?', id)).toBe(1);

    clock.set(due - 1);
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).status).toBe('waiting');

    clock.set(due);
    await harness.worker.drain();
    const done = await harness.engine.getRun(id);
    expect(done).toMatchObject({ status: 'completed', output: { resumedAt: due } });
    const left = (await harness.engine.history(id)).find((event) => event.type === 'nodeCompleted' && event.nodeId === 'standup');
    expect(left).toMatchObject({ at: due, data: { port: 'next', output: { until: new Date(due).toISOString() } } });
    expect(await harness.count('SELECT COUNT(*) FROM timers')).toBe(0);
  });

  it('at that very moment it continues at once; a moment later it waits a week', async () => {
    const monday0930 = Date.UTC(2026, 0, 5, 9, 30);
    harness = await createHarness({ clock: new FakeClock(monday0930) });
    expect(await harness.run(weekdayGraph({ weekday: 'mon', at: '09:30' }))).toMatchObject({ status: 'completed', output: { resumedAt: monday0930 } });
    const later = await harness.run(weekdayGraph({ weekday: 'mon', at: '09:29' }));
    expect(later.waitingOn).toEqual([{ nodeId: 'standup', kind: 'timer', until: new Date(monday0930 - MINUTE + 7 * DAY).toISOString() }]);
  });

  it('a cancelled run takes its timer with it', async () => {
    harness = await createHarness({ clock: new FakeClock(THURSDAY) });
    const waiting = await harness.run(weekdayGraph({ weekday: 'fri', at: '00:00' }));
    await harness.engine.cancel(waiting.id, { by: 'test' });
    await harness.worker.drain();
    expect((await harness.engine.getRun(waiting.id)).status).toBe('cancelled');
    expect(await harness.count('SELECT COUNT(*) FROM timers')).toBe(0);
  });

  // The pure core over a table of moments: the due time is the next such weekday and time, in UTC.
  it.each<[now: string, weekday: string, at: string, due: string]>([
    ['2026-01-01T00:00:00Z', 'thu', '00:00', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00Z', 'wed', '23:59', '2026-01-07T23:59:00.000Z'],
    ['2026-01-03T23:59:59Z', 'sun', '00:00', '2026-01-04T00:00:00.000Z'],
    ['2026-01-04T12:00:00Z', 'sun', '11:59', '2026-01-11T11:59:00.000Z'],
    ['2026-12-31T18:00:00Z', 'fri', '08:15', '2027-01-01T08:15:00.000Z'],
  ])('at %s, %s %s is due %s', async (now, weekday, at, due) => {
    const graph = indexGraph(weekdayGraph({ weekday, at }));
    const ctx = { instance: { id: 'r', workflow: 'w', version: 1, startedAt: Date.parse(now), input: {} }, graph, now: Date.parse(now), limits: LIMITS, historyCount: 0 };
    const result = await transition(ctx, initialState(), { type: 'start' });
    const dueAt = Date.parse(due);
    if (dueAt === Date.parse(now)) expect(result.status).toBe('completed');
    else expect(result.effects).toEqual([{ type: 'setTimer', timerId: 'r:t1:wait', tokenId: 't1', purpose: 'wait', dueAt }]);
  });

  it('the kind file is its due-time rule and nothing else: about ten lines of code', () => {
    const source = readFileSync(new URL('./fixtures/weekday-kind/weekday.executor.ts', import.meta.url), 'utf8');
    const code = source.split('\n').filter((line) => line.trim() && !line.trim().startsWith('//'));
    expect(code.length).toBeLessThanOrEqual(14);
  });
});

describe('bad and hostile input', () => {
  it.each<[config: Record<string, unknown>, field: string, message: RegExp]>([
    [{ weekday: 'funday', at: '09:30' }, 'weekday', /not a weekday: use "mon"/],
    [{ weekday: 'MON', at: '09:30' }, 'weekday', /not a weekday/],
    [{ weekday: 'mon', at: '25:00' }, 'at', /not a time of day: use "HH:MM" \(UTC\)/],
    [{ weekday: 'mon', at: '9:30' }, 'at', /not a time of day/],
    [{ weekday: 'mon', at: '{{ input.when }}' }, 'at', /not a time of day/],
    [{ weekday: 'mon', at: '09:30\n' }, 'at', /not a time of day/],
    [{ weekday: 'mon' }, 'at', /node "standup" at/],
    [{ weekday: ['mon'], at: '09:30' }, 'weekday', /not a weekday/],
  ])('%j is refused at publish, naming the node and the field', (config, field, message) => {
    const result = validateGraph(weekdayGraph(config));
    expect(result.ok).toBe(false);
    const problems = result.problems.filter((problem) => problem.nodeId === 'standup');
    expect(problems).toEqual([expect.objectContaining({ field, message: expect.stringMatching(message) })]);
  });

  it('a refused publish leaves a waiting run of the kind as it was', async () => {
    const clock = new FakeClock(THURSDAY);
    harness = await createHarness({ clock });
    const waiting = await harness.run(weekdayGraph({ weekday: 'sat', at: '06:00' }));
    await expect(harness.publish(weekdayGraph({ weekday: 'someday', at: '06:00' }))).rejects.toThrow(/node "standup" weekday: not a weekday/);
    clock.set(Date.UTC(2026, 0, 3, 6));
    await harness.worker.drain();
    expect((await harness.engine.getRun(waiting.id)).status).toBe('completed');
  });

  it('registering refuses a taken name, a name that is not one, and an executor without enter()', () => {
    const spec = (kind: string) => defineNodeKind({ ...weekdayNode, kind });
    expect(() => registerKind(weekdayNode, weekdayExecutor)).toThrow('a node kind named "weekday" is already registered');
    expect(() => registerKind(spec('start'), weekdayExecutor)).toThrow('"start" is already registered');
    for (const name of ['', '__proto__', 'constructor ', 'a b', '9lives', 'x'.repeat(41), 'wait;drop']) {
      expect(() => registerKind(spec(name), weekdayExecutor), name).toThrow(/a node kind's name is a letter then letters or digits/);
    }
    expect(() => registerKind(spec('broken'), {} as typeof weekdayExecutor)).toThrow('node kind "broken" needs an executor with enter()');
    expect(getNodeKind('broken')).toBeUndefined();
    expect(getNodeKind('constructor')).toBeUndefined();
  });
});
