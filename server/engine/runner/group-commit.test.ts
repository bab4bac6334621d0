// The committer's batching, against a store whose commits the test finishes by hand: which
// checkpoints share a transaction, how many transactions are in flight, and who learns what.
import { describe, expect, it } from 'vitest';
import { firstCheckpoint } from './admission.js';
import { GroupCommitter } from './group-commit.js';
import { LoopTurns } from './loop-turns.js';
import type { Checkpoint, CheckpointResult, EngineStore } from '../store.js';

function checkpointOf(instanceId: string): Checkpoint {
  const version = { workflowId: 'w', versionId: 'v', version: 1 };
  return { ...firstCheckpoint(version, { id: instanceId, input: {} }, 0), create: undefined, expectedRev: 1, status: 'running' };
}

/** A store that records each batch and holds its commit open until the test settles it. */
function heldStore(commitShape?: EngineStore['commitShape']) {
  const open: { ids: string[]; settle(outcome: CheckpointResult[] | Error): void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const store: Pick<EngineStore, 'commit' | 'commitShape'> = {
    commitShape,
    commit: (checkpoints) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise((resolve, reject) => {
        open.push({
          ids: checkpoints.map((checkpoint) => checkpoint.instanceId),
          settle: (outcome) => {
            inFlight--;
            if (outcome instanceof Error) reject(outcome);
            else resolve(outcome);
          },
        });
      });
    },
  };
  return { store, open, maxInFlight: () => maxInFlight };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const ok = (ids: string[]): CheckpointResult[] => ids.map(() => ({ ok: true }));

describe('group commit', () => {
  it('writes every checkpoint submitted in one turn in one transaction, one transaction at a time by default', async () => {
    const { store, open, maxInFlight } = heldStore();
    const committer = new GroupCommitter(store);
    const first = ['a', 'b', 'c'].map((id) => committer.submit(checkpointOf(id)));
    await turn();
    expect(open.map((batch) => batch.ids)).toEqual([['a', 'b', 'c']]);

    const later = committer.submit(checkpointOf('d'));
    await turn();
    expect(open).toHaveLength(1); // 'd' waits for the single writer
    expect(committer.idle).toBe(false);

    open[0].settle(ok(open[0].ids));
    expect(await Promise.all(first)).toEqual(ok(['a', 'b', 'c']));
    await turn();
    expect(open.map((batch) => batch.ids)).toEqual([['a', 'b', 'c'], ['d']]);
    open[1].settle(ok(['d']));
    expect(await later).toEqual({ ok: true });
    await turn();
    expect(committer.idle).toBe(true);
    expect(maxInFlight()).toBe(1);
    expect(committer.stats).toEqual({ transactions: 2, checkpoints: 4 });
  });

  it('keeps up to the store’s number of batches in flight, each no larger than its batch size', async () => {
    const { store, open, maxInFlight } = heldStore({ maxBatch: 2, inFlight: 2 });
    const committer = new GroupCommitter(store);
    const results = ['a', 'b', 'c', 'd', 'e'].map((id) => committer.submit(checkpointOf(id)));
    await turn();
    expect(open.map((batch) => batch.ids)).toEqual([['a', 'b'], ['c', 'd']]);

    // The second batch finishing first frees a slot for the rest; callers get their own results.
    open[1].settle([{ ok: true }, { ok: false, reason: 'conflict' }]);
    expect(await results[3]).toEqual({ ok: false, reason: 'conflict' });
    await turn();
    expect(open.map((batch) => batch.ids)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    open[0].settle(ok(['a', 'b']));
    open[2].settle(ok(['e']));
    expect(await Promise.all(results)).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: false, reason: 'conflict' }, { ok: true }]);
    expect(maxInFlight()).toBe(2);
  });

  it('a failed transaction fails only the checkpoints it carried', async () => {
    const { store, open } = heldStore({ maxBatch: 1, inFlight: 2 });
    const committer = new GroupCommitter(store);
    const [a, b] = ['a', 'b'].map((id) => committer.submit(checkpointOf(id)));
    await turn();
    open[0].settle(new Error('connection lost'));
    open[1].settle(ok(['b']));
    await expect(a).rejects.toThrow('connection lost');
    expect(await b).toEqual({ ok: true });
    await turn();
    expect(committer.idle).toBe(true);
  });

  it('once a stretch of work has held the event loop past the budget, a batch\'s callers hear of its commit on the loop\'s next turn', async () => {
    const { store, open } = heldStore();
    const turns = new LoopTurns(1);
    const committer = new GroupCommitter(store, undefined, turns);
    const heard: string[] = [];
    const hear = (id: string) => (result: CheckpointResult) => heard.push(`${id}:${result.ok}`);

    // Within the budget: the callers hear in the same stretch, before the loop turns.
    const quick = committer.submit(checkpointOf('a'), true).then(hear('a'));
    await new Promise<void>((resolve) => process.nextTick(resolve));
    turns.held(); // the stretch begins
    open[0].settle(ok(['a']));
    await quick;
    expect(heard).toEqual(['a:true']);
    await turn();

    // Past it: the commit is done, but its callers go on only once the loop has turned.
    const slow = committer.submit(checkpointOf('b'), true).then(hear('b'));
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(open.map((batch) => batch.ids)).toEqual([['a'], ['b']]);
    turns.held();
    const began = performance.now();
    while (performance.now() - began < 2) {
      // The rest of a long stretch: other runs' steps, one after another.
    }
    open[1].settle(ok(['b']));
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(heard).toEqual(['a:true']);
    await slow;
    expect(heard).toEqual(['a:true', 'b:true']);
  });

  it('commits an attempt\'s outcome once the microtasks of its callback have run, not at the end of the turn', async () => {
    const { store, open } = heldStore();
    const committer = new GroupCommitter(store);
    let immediateRan = false;
    setImmediate(() => (immediateRan = true));
    const started = committer.submit(checkpointOf('start'));
    let outcome!: Promise<CheckpointResult>;
    // The outcome of another run's attempt, arriving in a later microtask of the same callback.
    await Promise.resolve().then(() => {
      outcome = committer.submit(checkpointOf('outcome'), true);
    });
    expect(open).toHaveLength(0); // microtasks still running: more outcomes may come
    await new Promise<void>((resolve) => process.nextTick(resolve));
    // Flushed once they ran dry, before the end of the turn; the start waiting there goes with it.
    expect(immediateRan).toBe(false);
    expect(open.map((batch) => batch.ids)).toEqual([['start', 'outcome']]);
    open[0].settle(ok(['start', 'outcome']));
    expect(await Promise.all([started, outcome])).toEqual(ok(['start', 'outcome']));
  });
});
