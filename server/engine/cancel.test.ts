// Cancelling a run: its timers, approval tasks and signal waits close, and it ends `cancelled`;
// with `compensate`, completed steps are undone first.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { FakeClock } from './clock.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, until, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function bookings() {
  const calls: string[] = [];
  const book = defineAction({ name: 'book', description: 'test', input: z.object({ what: z.string() }), run: ({ what }) => (calls.push(`book ${what}`), { ref: what }) });
  const undo = defineAction({ name: 'undo', description: 'test', input: z.object({ ref: z.string() }), run: ({ ref }) => (calls.push(`undo ${ref}`), {}) });
  return { calls, actions: [book, undo] };
}

/** book → parallel: wait 1d | approval | event "go" → join → end. */
const everythingWaits = buildGraph(
  [
    ['start', 'start'],
    ['book', 'step', { action: 'book', input: { what: 'room' }, compensate: { action: 'undo', input: { ref: '{{ nodes.book.ref }}' } } }],
    ['split', 'parallel'],
    ['nap', 'wait', { duration: '1d' }],
    ['ok', 'approval', { title: 'OK?', assignees: { roles: ['manager'] }, timeout: '2d' }],
    ['go', 'event', { event: 'go', timeout: '3d' }],
    ['all', 'join'],
    ['end', 'end'],
  ],
  ['start.next -> book', 'book.ok -> split', 'split.branches -> nap', 'split.branches -> ok', 'split.branches -> go', 'nap.next -> all', 'ok.approved -> all', 'go.received -> all', 'all.next -> end'],
);

describe('cancel', () => {
  it('a waiting run ends cancelled; its timers, tasks and signal waits close', async () => {
    const { actions, calls } = bookings();
    harness = await createHarness({ actions });
    const { versionId } = await harness.publish(everythingWaits);
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    expect(await harness.count('SELECT COUNT(*) FROM timers')).toBe(3);
    await harness.engine.cancel(id, { by: 'ops', reason: 'customer left' });
    await harness.worker.drain();
    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('cancelled');
    expect(run.error).toMatchObject({ code: 'CANCELLED', message: 'cancelled by ops: customer left' });
    expect(run.waitingOn).toEqual([]);
    expect(await harness.count('SELECT COUNT(*) FROM timers')).toBe(0);
    expect(await harness.scalar('SELECT status FROM approval_tasks')).toBe('cancelled');
    expect(calls).toEqual(['book room']);
    await expect(harness.engine.signal(id, 'go')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('has already cancelled') });
    await expect(harness.engine.cancel(id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await harness.historyTypes(id)).toEqual(expect.arrayContaining(['cancelRequested', 'runCancelled']));
  });

  it('with compensate, completed steps are undone first', async () => {
    const { actions, calls } = bookings();
    harness = await createHarness({ actions });
    const { versionId } = await harness.publish(everythingWaits);
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    await harness.engine.cancel(id, { compensate: true });
    await harness.worker.drain();
    const run = await harness.engine.getRun(id);
    expect(calls).toEqual(['book room', 'undo room']);
    expect(run.status).toBe('cancelled');
    expect(run.error).toMatchObject({ code: 'CANCELLED', compensated: true });
  });

  it('a running run is cancelled too; the late result of its attempt is ignored', async () => {
    const clock = new FakeClock();
    let finish: (value: unknown) => void = () => {};
    const slow = defineAction({ name: 'slow', description: 'test', input: z.object({}), run: () => new Promise((resolve) => (finish = resolve)) });
    harness = await createHarness({ clock, actions: [slow] });
    const { versionId } = await harness.publish(buildGraph([['start', 'start'], ['work', 'step', { action: 'slow' }], ['end', 'end']], ['start.next -> work', 'work.ok -> end']));
    const { id } = await harness.engine.startRun({ versionId });
    await until(async () => (await harness!.engine.getRun(id)).status === 'running', { what: 'the step to run' });
    await harness.engine.cancel(id);
    await until(async () => (await harness!.engine.getRun(id)).status === 'cancelled', { what: 'the cancel' });
    finish({ late: true });
    await harness.worker.drain();
    const run = await harness.engine.getRun(id);
    expect(run.status).toBe('cancelled');
    expect((await harness.historyTypes(id)).filter((type) => type === 'nodeCompleted:work')).toEqual([]);
  });

  it('cancelling an unknown run is not found', async () => {
    harness = await createHarness();
    await expect(harness.engine.cancel('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
