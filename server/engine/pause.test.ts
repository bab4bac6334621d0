// Pause and resume (runner/pause.ts) on the real engine with the fake clock: a paused run's due
// timer waits for the resume, a signal sent meanwhile is delivered after it, an attempt under way
// finishes but the next one is held, a restart while paused loses nothing, a cancel ends a pause.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { FakeClock } from './clock.js';
import { EngineError } from './errors.js';
import { createRunOperations } from './operations.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, until, type Harness } from '../testing/harness.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

const HOUR = 3_600_000;
let harnesses: Harness[] = [];
let database: TestDatabase | undefined;
afterEach(async () => {
  for (const harness of harnesses) await harness.close();
  harnesses = [];
  await database?.drop();
  database = undefined;
});

async function open(options: Parameters<typeof createHarness>[0] = {}) {
  const harness = await createHarness(options);
  harnesses.push(harness);
  const operations = createRunOperations({ store: harness.store, worker: harness.worker, clock: harness.clock });
  return { harness, operations };
}

/** start → wait 1h → event "confirmed" → end with the signal's data. */
const confirmation = buildGraph(
  [
    ['start', 'start'],
    ['settle', 'wait', { duration: '1h' }],
    ['confirm', 'event', { event: 'confirmed' }],
    ['done', 'end', { output: '{{ { "signal": nodes.confirm, "at": $millis() } }}' }],
  ],
  ['start.next -> settle', 'settle.next -> confirm', 'confirm.received -> done'],
);

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(EngineError);
  return { code: (error as EngineError).code, message: (error as Error).message };
}

describe('pause and resume', () => {
  it("a paused run's due timer does not fire until resume, and a signal sent while paused is delivered after", async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1));
    const { harness, operations } = await open({ clock });
    const { versionId } = await harness.publish(confirmation);
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).status).toBe('waiting');

    await operations.pause(id, { by: 'ops', reason: 'supplier outage' });
    await harness.worker.drain();
    const paused = await harness.engine.getRun(id);
    expect(paused.status).toBe('paused');
    expect(paused.leaseOwner).toBeNull();
    expect(paused.waitingOn).toEqual([{ nodeId: 'settle', kind: 'timer', until: new Date(Date.UTC(2026, 5, 1, 1)).toISOString() }]);

    const { signalId } = await harness.engine.signal(id, 'confirmed', { parcels: 2 });
    clock.advance(5 * HOUR);
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).status).toBe('paused');
    expect(await harness.count('SELECT COUNT(*) FROM timers WHERE instance_id = ?', id)).toBe(1);
    expect(await harness.count('SELECT COUNT(*) FROM signals WHERE id = ? AND delivered_at IS NULL', signalId)).toBe(1);
    expect(await harness.historyTypes(id)).not.toContain('nodeCompleted:settle');

    await operations.resume(id, { by: 'ops' });
    await harness.worker.drain();
    const done = await harness.engine.getRun(id);
    expect(done.status).toBe('completed');
    expect(done.output).toEqual({ signal: { parcels: 2 }, at: Date.UTC(2026, 5, 1, 5) });
    const history = await harness.engine.history(id);
    const types = history.map((event) => event.type);
    expect(types.indexOf('runPaused')).toBeLessThan(types.indexOf('runResumed'));
    expect(types.indexOf('runResumed')).toBeLessThan(history.findIndex((event) => event.type === 'nodeCompleted' && event.nodeId === 'settle'));
    expect(history.find((event) => event.type === 'runPaused')?.data).toEqual({ by: 'ops', reason: 'supplier outage' });
  });

  it('an attempt under way when the run is paused finishes and is recorded; the next step is held until resume', async () => {
    const clock = new FakeClock();
    const started: string[] = [];
    let release: (() => void) | undefined;
    const slow = defineAction({
      name: 'slow',
      description: 'test: finishes when released',
      input: z.object({ label: z.string() }),
      run: (input) => {
        started.push(input.label);
        return input.label === 'first' ? new Promise((resolve) => (release = () => resolve({ done: input.label }))) : { done: input.label };
      },
    });
    const { harness, operations } = await open({ clock, actions: [slow] });
    const graph = buildGraph(
      [['start', 'start'], ['one', 'step', { action: 'slow', input: { label: 'first' } }], ['two', 'step', { action: 'slow', input: { label: 'second' } }], ['end', 'end', { output: '{{ nodes.two }}' }]],
      ['start.next -> one', 'one.ok -> two', 'two.ok -> end'],
    );
    const { versionId } = await harness.publish(graph);
    const { id } = await harness.engine.startRun({ versionId });
    await until(() => started.length === 1, { what: 'the first attempt to start' });

    await operations.pause(id, { by: 'ops' });
    await until(async () => (await harness.engine.getRun(id)).status === 'paused', { what: 'the run to pause' });
    // Paused with its attempt under way: its worker still holds it (and its lease).
    expect((await harness.engine.getRun(id)).leaseOwner).toBe(harness.worker.id);
    release!();
    await harness.worker.drain();
    const held = await harness.engine.getRun(id);
    expect(held.status).toBe('paused');
    expect(held.leaseOwner).toBeNull();
    expect(started).toEqual(['first']);
    expect(await harness.historyTypes(id)).toContain('nodeCompleted:one');

    await operations.resume(id);
    await harness.worker.drain();
    expect(started).toEqual(['first', 'second']);
    const done = await harness.engine.getRun(id);
    expect(done.status).toBe('completed');
    expect(done.output).toEqual({ done: 'second' });
  });

  it('nothing is lost across a restart while paused: the timer, a signal and the pause itself', async () => {
    database = await createTestDatabase();
    const clock = new FakeClock(Date.UTC(2026, 5, 1));
    const first = await open({ clock, databaseUrl: database.url });
    const { versionId } = await first.harness.publish(confirmation);
    const { id } = await first.harness.engine.startRun({ versionId });
    await first.harness.worker.drain();
    await first.operations.pause(id, { by: 'ops' });
    await first.harness.worker.drain();
    await first.harness.engine.signal(id, 'confirmed', { parcels: 7 });
    clock.advance(3 * HOUR);
    await first.harness.close();
    harnesses = [];

    // The database reopened by a new engine: still paused, nothing fired or delivered.
    const second = await open({ clock, databaseUrl: database.url });
    await second.harness.worker.drain();
    expect((await second.harness.engine.getRun(id)).status).toBe('paused');
    expect(await second.harness.count('SELECT COUNT(*) FROM timers WHERE instance_id = ?', id)).toBe(1);
    expect(await second.harness.count("SELECT COUNT(*) FROM signals WHERE instance_id = ? AND kind = 'signal' AND delivered_at IS NULL", id)).toBe(1);

    await second.operations.resume(id, { by: 'ops' });
    await second.harness.worker.drain();
    const done = await second.harness.engine.getRun(id);
    expect(done.status).toBe('completed');
    expect(done.output).toEqual({ signal: { parcels: 7 }, at: Date.UTC(2026, 5, 1, 3) });
  });

  it('a cancel ends a pause: the paused run is cancelled, and its held step never starts', async () => {
    const clock = new FakeClock();
    const started: string[] = [];
    const record = defineAction({ name: 'record', description: 'test', input: z.object({}).passthrough(), run: () => (started.push('ran'), { ok: true }) });
    const { harness, operations } = await open({ clock, actions: [record] });
    const graph = buildGraph(
      [['start', 'start'], ['nap', 'wait', { duration: '1h' }], ['act', 'step', { action: 'record', input: {} }], ['end', 'end']],
      ['start.next -> nap', 'nap.next -> act', 'act.ok -> end'],
    );
    const { versionId } = await harness.publish(graph);
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    await operations.pause(id);
    await harness.worker.drain();
    clock.advance(2 * HOUR);
    await harness.worker.drain();
    await harness.engine.cancel(id, { by: 'ops' });
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).status).toBe('cancelled');
    expect(started).toEqual([]);
    expect(await harness.count('SELECT COUNT(*) FROM timers WHERE instance_id = ?', id)).toBe(0);
  });

  it('refuses what cannot be done, naming why, and changes nothing', async () => {
    const clock = new FakeClock();
    const { harness, operations } = await open({ clock });
    const { versionId } = await harness.publish(confirmation);
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();

    expect(await refusal(operations.pause('no-such-run'))).toMatchObject({ code: 'NOT_FOUND', message: 'no run with id "no-such-run"' });
    expect(await refusal(operations.resume(''))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await refusal(operations.resume(id))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is not paused (it is waiting)') });
    expect(await refusal(operations.pause(id, { reason: 'x'.repeat(1_001) }))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('reason') });
    await operations.pause(id);
    await harness.worker.drain();
    expect(await refusal(operations.pause(id))).toMatchObject({ code: 'CONFLICT', message: `run "${id}" is already paused` });

    await harness.engine.cancel(id);
    await harness.worker.drain();
    expect(await refusal(operations.pause(id))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('has already cancelled') });
    expect(await refusal(operations.resume(id))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('it is cancelled') });
    expect(await harness.count("SELECT COUNT(*) FROM signals WHERE kind IN ('pause', 'resume')")).toBe(1);
  });
});
