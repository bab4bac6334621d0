// Signals: buffered when early, consumed in arrival order, timed out, refused once the run ended,
// and capped per run (count and bytes) without losing any that were accepted.
import { afterEach, describe, expect, it } from 'vitest';
import type { Limits } from '../../shared/limits.js';
import { FakeClock } from './clock.js';
import { createEngine } from './engine.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const countSignals = (h: Harness) => h.count('SELECT COUNT(*) FROM signals');

/** start → wait 1h → event "confirmed" (optionally with a time-out) → end with the signal's data. */
const confirmation = (timeout?: string) =>
  buildGraph(
    [
      ['start', 'start'],
      ['settle', 'wait', { duration: '1h' }],
      ['confirm', 'event', { event: 'confirmed', ...(timeout ? { timeout } : {}) }],
      ['done', 'end', { output: '{{ nodes.confirm }}' }],
      ['gave-up', 'end', { output: '{{ { "timedOut": nodes.confirm.timedOut } }}' }],
    ],
    ['start.next -> settle', 'settle.next -> confirm', 'confirm.received -> done', 'confirm.timeout -> gave-up'],
  );

describe('signals', () => {
  it('a signal sent before the run reaches the node is buffered and consumed there', async () => {
    const clock = new FakeClock();
    harness = await createHarness({ clock });
    const { versionId } = await harness.publish(confirmation());
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    await harness.engine.signal(id, 'confirmed', { by: 'warehouse', parcels: 2 });
    await harness.worker.drain();
    const early = await harness.engine.getRun(id);
    expect(early.status).toBe('waiting');
    expect(early.state.signals).toEqual([expect.objectContaining({ name: 'confirmed', data: { by: 'warehouse', parcels: 2 } })]);

    clock.advance('1h');
    await harness.worker.drain();
    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ by: 'warehouse', parcels: 2 });
    expect(run.state.signals).toEqual([]);
    expect(await harness.historyTypes(id)).toEqual(expect.arrayContaining(['signalReceived', 'signalConsumed:confirm']));
  });

  it('a signal sent while the node waits continues the run at once', async () => {
    const clock = new FakeClock();
    harness = await createHarness({ clock });
    const { versionId } = await harness.publish(confirmation('1d'));
    const { id } = await harness.engine.startRun({ versionId });
    clock.advance('1h');
    await harness.worker.drain();
    const waiting = await harness.engine.getRun(id);
    expect(waiting.waitingOn).toEqual([{ nodeId: 'confirm', kind: 'signal', on: 'confirmed', until: new Date(clock.now() + 86_400_000).toISOString() }]);
    await harness.engine.signal(id, 'confirmed', 'ok');
    await harness.worker.drain();
    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('completed');
    expect(run.output).toBe('ok');
    // The time-out timer went with the wait.
    expect(await harness.count('SELECT COUNT(*) FROM timers')).toBe(0);
  });

  it('two signals are consumed in arrival order', async () => {
    harness = await createHarness();
    const graph = buildGraph(
      [['start', 'start'], ['first', 'event', { event: 'item' }], ['second', 'event', { event: 'item' }], ['end', 'end', { output: '{{ [nodes.first, nodes.second] }}' }]],
      ['start.next -> first', 'first.received -> second', 'second.received -> end'],
    );
    const { versionId } = await harness.publish(graph);
    const { id } = await harness.engine.startRun({ versionId });
    await harness.engine.signal(id, 'item', 'A');
    await harness.engine.signal(id, 'item', 'B');
    await harness.engine.signal(id, 'other', 'ignored');
    await harness.worker.drain();
    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual(['A', 'B']);
  });

  it('without a signal, the time-out takes the `timeout` port with { timedOut: true }', async () => {
    const clock = new FakeClock();
    harness = await createHarness({ clock });
    const { versionId } = await harness.publish(confirmation('24h'));
    const { id } = await harness.engine.startRun({ versionId });
    clock.advance('1h');
    await harness.worker.drain();
    clock.advance('24h');
    await harness.worker.drain();
    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ timedOut: true });
    expect(run.state.outputs.confirm).toEqual({ timedOut: true });
  });

  it('an unconnected `timeout` port fails the run naming the node', async () => {
    const clock = new FakeClock();
    harness = await createHarness({ clock });
    const graph = buildGraph([['start', 'start'], ['confirm', 'event', { event: 'go', timeout: '1h' }], ['end', 'end']], ['start.next -> confirm', 'confirm.received -> end']);
    const { versionId } = await harness.publish(graph);
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    clock.advance('1h');
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).error).toMatchObject({ code: 'TIMED_OUT', nodeId: 'confirm', message: 'node "confirm" timed out' });
  });

  it('refuses a signal to a finished run, an unknown run, or with data over 256 KB, storing nothing', async () => {
    harness = await createHarness();
    const finished = await harness.run(buildGraph([['start', 'start'], ['end', 'end']], ['start.next -> end']));
    await expect(harness.engine.signal(finished.id, 'confirmed', {})).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `run "${finished.id}" has already completed; it takes no more signals`,
    });
    await expect(harness.engine.signal('no-such-run', 'confirmed')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { versionId } = await harness.publish(confirmation());
    const { id } = await harness.engine.startRun({ versionId });
    await expect(harness.engine.signal(id, 'confirmed', 'x'.repeat(270_000))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(harness.engine.signal(id, '  ')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await countSignals(harness)).toBe(0);
  });
});

/** The harness's store and worker, with an engine whose signal cap is small enough to reach. */
const cappedEngine = (h: Harness, limits: Partial<Limits>) => createEngine({ store: h.store, worker: h.worker, clock: h.clock, limits });

/** start → wait 1h → take "n" until its data says `last` → end with the last data. */
const drainsSignals = buildGraph(
  [
    ['start', 'start'],
    ['settle', 'wait', { duration: '1h' }],
    ['take', 'event', { event: 'n' }],
    ['more', 'branch', { condition: '{{ nodes.take.last = true }}' }],
    ['done', 'end', { output: '{{ nodes.take }}' }],
  ],
  ['start.next -> settle', 'settle.next -> take', 'take.received -> more', 'more.false -> take', 'more.true -> done'],
);

async function consumedIds(h: Harness, runId: string): Promise<string[]> {
  return (await h.engine.history(runId)).filter((event) => event.type === 'signalConsumed' || (event.type === 'signalReceived' && event.nodeId)).map((event) => (event.data as { signalId: string }).signalId);
}

describe('the signal cap', () => {
  it('past the count, a signal is refused naming the limit and not stored; every accepted one is still delivered, in order', async () => {
    const clock = new FakeClock();
    harness = await createHarness({ clock });
    const engine = cappedEngine(harness, { bufferedSignals: 3 });
    const { versionId } = await harness.publish(drainsSignals);
    const { id } = await engine.startRun({ versionId });
    await harness.worker.drain();

    // Two taken into the run's state buffer, the third still an inbox row: the cap counts both.
    const accepted = [(await engine.signal(id, 'n', { i: 1 })).signalId, (await engine.signal(id, 'n', { i: 2 })).signalId];
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).state.signals).toHaveLength(2);
    accepted.push((await engine.signal(id, 'n', { i: 3, last: true })).signalId);
    const refused = engine.signal(id, 'n', { i: 4 });
    await expect(refused).rejects.toMatchObject({ code: 'CONFLICT', details: { limit: 'bufferedSignals', held: { count: 3 }, max: { count: 3 } } });
    await expect(refused).rejects.toThrow(/already holds 3 signal\(s\) .* at most 3 signals .* signal "n" was not stored/);
    expect(await countSignals(harness)).toBe(3);

    // Cancels and other kinds are not signals: they still go through (tested below); now let it run.
    clock.advance('1h');
    await harness.worker.drain();
    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ i: 3, last: true });
    expect(await consumedIds(harness, id)).toEqual(accepted);
  });

  it('past the bytes (of the data as UTF-8 JSON), a signal is refused; a run with a full buffer can still be cancelled', async () => {
    harness = await createHarness();
    const engine = cappedEngine(harness, { bufferedSignalBytes: 100 });
    const { versionId } = await harness.publish(drainsSignals);
    const { id } = await engine.startRun({ versionId });
    // "€" is 3 bytes in UTF-8: 15 of them and the quotes are 47 bytes, though 17 characters.
    await engine.signal(id, 'n', '€'.repeat(15));
    await engine.signal(id, 'n', '€'.repeat(15));
    await expect(engine.signal(id, 'n', '€'.repeat(15))).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { held: { count: 2, bytes: 94 }, max: { bytes: 100 } },
      message: expect.stringContaining('(94 bytes) that no event node has taken, and a run holds at most 1,000 signals and 100 bytes'),
    });
    // A small one still fits.
    await engine.signal(id, 'n', 1);
    expect(await countSignals(harness)).toBe(3);

    await engine.cancel(id, { reason: 'enough' });
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).status).toBe('cancelled');
    await expect(engine.signal(id, 'n', 1)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('has already cancelled') });
  });

  it('senders racing one another cannot pass the cap together', async () => {
    harness = await createHarness();
    const engine = cappedEngine(harness, { bufferedSignals: 5 });
    const { versionId } = await harness.publish(drainsSignals);
    const { id } = await engine.startRun({ versionId });
    await harness.worker.drain();
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => engine.signal(id, 'n', { i })));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason.code)).toEqual(Array(15).fill('CONFLICT'));
    await harness.worker.drain();
    expect(await countSignals(harness)).toBe(5);
    expect((await harness.engine.getRun(id)).state.signals).toHaveLength(5);
  });

  it('the default cap is 1,000 signals', async () => {
    harness = await createHarness();
    const { versionId } = await harness.publish(drainsSignals);
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    // With the worker stopped the signals stay inbox rows: this measures the cap, not delivery.
    await harness.worker.stop({ graceMs: 0 });
    for (let batch = 0; batch < 20; batch++) await Promise.all(Array.from({ length: 50 }, (_, i) => harness!.engine.signal(id, 'n', batch * 50 + i)));
    await expect(harness.engine.signal(id, 'n', 1_000)).rejects.toMatchObject({ code: 'CONFLICT', details: { held: { count: 1_000 }, max: { count: 1_000, bytes: 1024 * 1024 } } });
  }, 60_000);
});
