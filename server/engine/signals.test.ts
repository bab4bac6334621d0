// Signals: buffered when early, consumed in arrival order, timed out, refused once the run ended.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { buildGraph } from './testing/graphs.js';
import { createHarness, type Harness } from './testing/harness.js';

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
