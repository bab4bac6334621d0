// Lease expiry: a run whose worker stopped renewing is recovered by another worker from its last
// checkpoint; the interrupted attempt counts as failed, and the stale worker cannot write over it.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { FakeClock } from './clock.js';
import { buildGraph, lineOfSteps } from '../testing/graphs.js';
import { silentLogger } from '../logger.js';
import { createEngine } from './engine.js';
import { createWorker } from './runner/worker.js';
import { createHarness, until, type Harness } from '../testing/harness.js';

const harnesses: Harness[] = [];
afterEach(async () => {
  // Last first: the first harness owns the database and drops it when it closes.
  for (const harness of harnesses.splice(0).reverse()) await harness.close();
});

describe('recovery of expired leases', () => {
  it('another worker resumes the run after the lease expires; the stale result is refused', async () => {
    let releaseStale: (value: unknown) => void = () => {};
    const attempts: string[] = [];
    const work = (who: string) =>
      defineAction({
        name: 'work',
        description: 'test: hangs on the first worker, succeeds on the second',
        input: z.object({}),
        run: (_input, ctx) => {
          attempts.push(`${who}#${ctx.attempt}`);
          return who === 'A' ? new Promise((resolve) => (releaseStale = resolve)) : { by: who };
        },
      });
    const clockA = new FakeClock(Date.UTC(2026, 0, 1));
    const a = await createHarness({ clock: clockA, actions: [work('A')], leaseMs: 10_000, workerId: 'A' });
    harnesses.push(a);
    const { versionId } = await a.publish(lineOfSteps([{ id: 'slow', action: 'work', retry: { maxAttempts: 3, initialInterval: '1s', jitter: 0 } }]));
    const { id } = await a.engine.startRun({ versionId });
    await until(() => attempts.length === 1, { what: 'worker A to start the attempt' });
    expect((await a.engine.getRun(id)).leaseOwner).toBe('A');

    // Worker B shares the database but not A's clock: for B, A's lease has expired.
    const clockB = new FakeClock(Date.UTC(2026, 0, 1) + 10_001);
    const b = await createHarness({ databaseUrl: a.url, clock: clockB, actions: [work('B')], leaseMs: 10_000, workerId: 'B' });
    harnesses.push(b);
    await b.worker.drain();
    const recovered = await b.engine.getRun(id);
    expect(recovered.status).toBe('waiting');
    expect(recovered.waitingOn).toEqual([expect.objectContaining({ nodeId: 'slow', kind: 'retry' })]);
    clockB.advance('1s');
    await b.worker.drain();
    expect((await b.engine.getRun(id)).status).toBe('completed');

    releaseStale({ by: 'A' });
    await a.worker.drain();
    const run = await b.engine.getRun(id);
    expect(run.output).toBeNull();
    expect(run.state.outputs.slow).toEqual({ by: 'B' });
    expect(attempts).toEqual(['A#1', 'B#2']);
    const history = await b.engine.history(id);
    expect(history.filter((event) => event.type === 'nodeCompleted' && event.nodeId === 'slow')).toHaveLength(1);
    expect(history.find((event) => event.type === 'stepAttemptFailed')?.data).toMatchObject({ error: { code: 'INTERRUPTED' } });
  });

  it('the scheduler wakes for another worker’s lease expiry without polling', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const hang = defineAction({ name: 'hang', description: 'test', input: z.object({}), run: () => new Promise(() => {}) });
    const a = await createHarness({ clock: new FakeClock(Date.UTC(2026, 0, 1)), actions: [hang], leaseMs: 30_000, workerId: 'A' });
    harnesses.push(a);
    const { versionId } = await a.publish(lineOfSteps([{ id: 'stuck', action: 'hang', retry: { maxAttempts: 1 } }]));
    const { id } = await a.engine.startRun({ versionId });
    const b = await createHarness({ databaseUrl: a.url, clock, actions: [hang], leaseMs: 30_000, workerId: 'B' });
    harnesses.push(b);
    await b.worker.drain();
    expect((await b.engine.getRun(id)).status).toBe('running');
    // Moving B's clock past A's lease fires B's own wake-up; no drain call is needed.
    clock.advance('30s');
    await until(async () => (await b.engine.getRun(id)).status === 'failed', { what: 'B to recover the run' });
    expect((await b.engine.getRun(id)).error).toMatchObject({ code: 'INTERRUPTED', nodeId: 'stuck' });
  });
});

describe('a failing database', () => {
  it('a commit that fails rejects startRun with the cause instead of hanging, and stores nothing', async () => {
    const harness = await createHarness();
    harnesses.push(harness);
    const { versionId } = await harness.publish(lineOfSteps([{ id: 'a', action: 'log', input: { message: 'hi' } }]));
    const failing = { ...harness.store, commit: () => Promise.reject(new Error('database or disk is full')) };
    const worker = createWorker({ store: failing, clock: harness.clock, actions: harness.actions, logger: silentLogger });
    await worker.start();
    const engine = createEngine({ store: failing, worker, clock: harness.clock });
    await expect(engine.startRun({ versionId })).rejects.toThrow('database or disk is full');
    await worker.stop({ graceMs: 0 });
    expect(await harness.count('SELECT COUNT(*) FROM instances')).toBe(0);
  });
});

describe('a crashed run found through its inbox', () => {
  it('still resumes its interrupted attempt before taking the signal', async () => {
    const attempts: string[] = [];
    const work = (who: string) =>
      defineAction({
        name: 'work',
        description: 'test: hangs on the first worker, succeeds on the second',
        input: z.object({}),
        run: () => (attempts.push(who), who === 'A' ? new Promise(() => {}) : { by: who }),
      });
    const a = await createHarness({ clock: new FakeClock(Date.UTC(2026, 0, 1)), actions: [work('A')], leaseMs: 10_000, workerId: 'A' });
    harnesses.push(a);
    const graph = buildGraph(
      [['start', 'start'], ['work', 'step', { action: 'work', retry: { maxAttempts: 3, initialInterval: '1s', jitter: 0 } }], ['confirm', 'event', { event: 'confirmed' }], ['end', 'end']],
      ['start.next -> work', 'work.ok -> confirm', 'confirm.received -> end'],
    );
    const { versionId } = await a.publish(graph);
    const { id } = await a.engine.startRun({ versionId });
    await until(() => attempts.length === 1, { what: 'worker A to start the attempt' });
    // Posted straight to the inbox, as another process would: worker A does not see it.
    await a.store.postSignal({ id: `${id}:signal`, instanceId: id, kind: 'signal', name: 'confirmed', data: 'yes', createdAt: Date.UTC(2026, 0, 1) });

    const clockB = new FakeClock(Date.UTC(2026, 0, 1) + 60_000);
    const b = await createHarness({ databaseUrl: a.url, clock: clockB, actions: [work('B')], leaseMs: 10_000, workerId: 'B' });
    harnesses.push(b);
    await b.worker.drain();
    clockB.advance('1s');
    await b.worker.drain();
    const run = await b.engine.getRun(id);
    expect(attempts).toEqual(['A', 'B']);
    expect(run.status).toBe('completed');
    expect(await b.historyTypes(id)).toEqual(expect.arrayContaining(['stepAttemptFailed:work', 'signalConsumed:confirm']));
  });
});

describe('a restarted worker with the same id', () => {
  it('takes back its own runs at once instead of waiting out its old leases', async () => {
    const attempts: string[] = [];
    const work = (life: string) =>
      defineAction({ name: 'work', description: 'test', input: z.object({}), run: () => (attempts.push(life), life === 'first' ? new Promise(() => {}) : { life }) });
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    // The first life stands for a process that died: it must not hear the second's wake-ups.
    const first = await createHarness({ clock, actions: [work('first')], workerId: 'host-1', leaseMs: 30_000, listen: false });
    harnesses.push(first);
    const { versionId } = await first.publish(lineOfSteps([{ id: 'slow', action: 'work', retry: { maxAttempts: 2, initialInterval: '1s', jitter: 0 } }]));
    const { id } = await first.engine.startRun({ versionId });
    await until(() => attempts.length === 1, { what: 'the first life to start the attempt' });

    // Same id, same clock: the old lease has 30 s left, yet the run is resumed now.
    const second = await createHarness({ databaseUrl: first.url, clock, actions: [work('second')], workerId: 'host-1', leaseMs: 30_000 });
    harnesses.push(second);
    await second.worker.drain();
    expect((await second.engine.getRun(id)).waitingOn).toEqual([expect.objectContaining({ nodeId: 'slow', kind: 'retry' })]);
    clock.advance('1s');
    await second.worker.drain();
    expect((await second.engine.getRun(id)).status).toBe('completed');
    expect(attempts).toEqual(['first', 'second']);
  });
});
