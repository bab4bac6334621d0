// Concurrency limits (runner/concurrency.ts) on the real engine with the fake clock: runs started
// beyond a workflow's limit are queued and admitted in start order as others finish; a paused run
// keeps its place; lifting the limit admits the rest; a queued run can be cancelled.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { createRunOperations } from './operations.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';

const HOUR = 3_600_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const napThenEnd = buildGraph([['start', 'start'], ['nap', 'wait', { duration: '1h' }], ['end', 'end']], ['start.next -> nap', 'nap.next -> end']);

async function setLimit(h: Harness, slug: string, limit: number | null): Promise<void> {
  await h.database.scalar('UPDATE workflows SET concurrency_limit = ? WHERE slug = ? RETURNING id', limit, slug);
}

const inFlight = (h: Harness) => h.count("SELECT COUNT(*) FROM instances WHERE status IN ('pending', 'running', 'waiting', 'paused')");

describe('concurrency limits', () => {
  it('limit 5, 50 runs started: never more than 5 in flight, all complete, admitted in start order', async () => {
    const clock = new FakeClock(Date.UTC(2026, 6, 1));
    harness = await createHarness({ clock });
    const { versionId } = await harness.publish(napThenEnd, 'limited');
    await setLimit(harness, 'limited', 5);
    // Every checkpoint, as it commits: how many runs are in flight in memory's view of the statuses.
    const statuses = new Map<string, string>();
    let most = 0;
    harness.worker.onCheckpoint((notice) => {
      statuses.set(notice.instanceId, notice.status);
      most = Math.max(most, [...statuses.values()].filter((status) => status === 'running' || status === 'waiting' || status === 'paused').length);
    });

    const started: { id: string; status: string }[] = [];
    for (let i = 0; i < 50; i++) started.push(await harness.engine.startRun({ versionId, input: { i } }));
    expect(started.slice(0, 5).map((run) => run.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    expect(new Set(started.slice(5).map((run) => run.status))).toEqual(new Set(['queued']));
    await harness.worker.drain();
    expect(await inFlight(harness)).toBe(5);
    expect(await harness.count("SELECT COUNT(*) FROM instances WHERE status = 'queued'")).toBe(45);

    for (let wave = 1; wave <= 10; wave++) {
      clock.advance(HOUR);
      await harness.worker.drain();
      expect(await inFlight(harness)).toBeLessThanOrEqual(5);
      for (const [id, status] of statuses) if (status === 'completed') statuses.delete(id);
    }
    expect(most).toBe(5);
    expect(await harness.count("SELECT COUNT(*) FROM instances WHERE status = 'completed'")).toBe(50);

    // Admitted in start order: the n-th run started began in wave floor(n / 5).
    const began = await Promise.all(started.map(async (run) => (await harness!.engine.history(run.id)).find((event) => event.type === 'runStarted')!.at));
    expect(began).toEqual(started.map((_, n) => Date.UTC(2026, 6, 1) + Math.floor(n / 5) * HOUR));
  });

  it('a paused run keeps its place; cancelling a queued run takes it out of the queue; lifting the limit admits the rest', async () => {
    const clock = new FakeClock();
    harness = await createHarness({ clock });
    const operations = createRunOperations({ store: harness.store, worker: harness.worker, clock });
    const { versionId } = await harness.publish(napThenEnd, 'one-at-a-time');
    await setLimit(harness, 'one-at-a-time', 1);
    const first = await harness.engine.startRun({ versionId });
    const second = await harness.engine.startRun({ versionId });
    const third = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    expect([first.status, second.status, third.status]).toEqual(['pending', 'queued', 'queued']);

    await operations.pause(first.id);
    clock.advance(2 * HOUR);
    await harness.worker.drain();
    expect((await harness.engine.getRun(first.id)).status).toBe('paused');
    expect((await harness.engine.getRun(second.id)).status).toBe('queued');
    await expect(operations.pause(second.id)).rejects.toThrow(/is queued: it has not started/);

    await harness.engine.cancel(second.id, { by: 'ops' });
    await harness.worker.drain();
    expect((await harness.engine.getRun(second.id)).status).toBe('cancelled');
    expect((await harness.engine.getRun(third.id)).status).toBe('queued');

    await setLimit(harness, 'one-at-a-time', null);
    await operations.resume(first.id);
    await harness.worker.drain();
    // Resuming finished the first run (its timer was due): the third is admitted behind it.
    expect((await harness.engine.getRun(first.id)).status).toBe('completed');
    expect((await harness.engine.getRun(third.id)).status).toBe('waiting');
    clock.advance(HOUR);
    await harness.worker.drain();
    expect((await harness.engine.getRun(third.id)).status).toBe('completed');
  });

  it('a worker that starts admits what a crash left queued with room to run', async () => {
    const clock = new FakeClock();
    harness = await createHarness({ clock });
    const { versionId } = await harness.publish(napThenEnd, 'limited');
    await setLimit(harness, 'limited', 1);
    const first = await harness.engine.startRun({ versionId });
    const second = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    // As if the process had died between the first run's end and the admission of the second.
    await harness.database.scalar("UPDATE instances SET status = 'completed', finished_at = updated_at WHERE id = ? RETURNING id", first.id);
    expect((await harness.engine.getRun(second.id)).status).toBe('queued');
    await harness.worker.stop({ graceMs: 0 });
    await harness.worker.start();
    await harness.worker.drain();
    expect((await harness.engine.getRun(second.id)).status).toBe('waiting');
  });
});
