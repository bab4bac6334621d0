// Approvals: many runs park on an approval task (rows, not memory), then every task is decided
// through the engine API (`engine.decide`, as the REST and tRPC handlers call it) and the runs finish.
// The figure is decisions/s: decisions accepted and delivered until every run has completed. With
// `quorum: 'two-of-three'` each task needs two approvals of three named users (issue 19): both are
// sent at once, by different callers, so they contend for the task's lock as real approvers would.
import { fileURLToPath } from 'node:url';
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { FakeClock } from '../server/engine/clock.js';
import type { Approver } from '../server/engine/engine.js';
import { createHarness, type Harness } from '../server/testing/harness.js';
import { diskBytes, statusCounts } from './db-stats.js';
import { gcAvailable, settledMemory, type MemorySample } from './memory.js';
import { approvalGraph } from './workloads.js';
import { runIsolated } from './isolated.js';

export interface ApprovalsResult {
  runs: number;
  chunk: number;
  /** Decisions in flight at once. */
  concurrency: number;
  quorum: 'single' | 'two-of-three';
  /** Individual decisions per task: 1, or 2 for two of three. */
  decisionsPerTask: number;
  parkSeconds: number;
  parkedPerSec: number;
  /** Memory before parking, with a tenth of the runs parked, and with all of them parked. */
  memory: { before: MemorySample; tenth: MemorySample; parked: MemorySample };
  rssGrowth: number;
  heapGrowth: number;
  marginalRssPerRun: number;
  gcForced: boolean;
  disk: { file: number; wal: number; total: number };
  /** `engine.tasksFor` listing every pending task of the role (untimed in the figure). */
  listSeconds: number;
  /** Until the last `engine.decide` returned, then until every run completed. */
  decideSeconds: number;
  drainSeconds: number;
  decisionsPerSec: number;
  /** Tasks settled per second (equal to decisionsPerSec for single decisions). */
  tasksPerSec: number;
  /** Group commit while deciding and draining. */
  transactions: number;
  checkpoints: number;
}

export interface ApprovalsOptions {
  runs?: number;
  chunk?: number;
  concurrency?: number;
  quorum?: 'single' | 'two-of-three';
}

const MANAGER: Approver = { user: 'm', roles: ['manager'] };
const log = (message: string) => process.stderr.write(`  … ${message}\n`);
const CHILD = fileURLToPath(new URL('./approvals.child.ts', import.meta.url));

/** Measures approvals in a fresh Node process, for a clean RSS baseline (see isolated.ts). */
export function measureApprovalsIsolated(sync: SqliteSync, options: ApprovalsOptions = {}): Promise<ApprovalsResult> {
  return runIsolated<ApprovalsResult>(CHILD, { sync, options }, 'approvals');
}

export async function measureApprovals(sync: SqliteSync, options: ApprovalsOptions = {}): Promise<ApprovalsResult> {
  const runs = options.runs ?? 10_000;
  const settings = { runs, chunk: options.chunk ?? 2_000, concurrency: options.concurrency ?? 64, quorum: options.quorum ?? 'single' };
  // A throwaway round first (JIT, young generation, malloc arenas), as in parking.ts.
  await parkAndDecide(sync, { ...settings, runs: Math.min(1_000, runs) });
  return parkAndDecide(sync, settings);
}

async function parkAndDecide(sync: SqliteSync, { runs, chunk, concurrency, quorum }: Required<ApprovalsOptions>): Promise<ApprovalsResult> {
  const harness = await createHarness({ sync, clock: new FakeClock() });
  const approvers: Approver[] = quorum === 'single' ? [MANAGER] : [{ user: 'm1' }, { user: 'm2' }];
  try {
    const { versionId } = await harness.publish(approvalGraph(quorum));
    let order = 0;
    const startRuns = async (count: number): Promise<number> => {
      const began = performance.now();
      for (let started = 0; started < count; started += chunk) {
        await Promise.all(Array.from({ length: Math.min(chunk, count - started) }, () => harness.engine.startRun({ versionId, input: { order: `PO-${++order}` } })));
      }
      return performance.now() - began;
    };

    const before = await settledMemory();
    const tenthCount = Math.floor(runs / 10);
    let parkMs = await startRuns(tenthCount);
    const tenth = await settledMemory();
    parkMs += await startRuns(runs - tenthCount);
    const drainBegan = performance.now();
    await harness.worker.drain();
    const parkSeconds = (parkMs + performance.now() - drainBegan) / 1000;
    const parked = (await statusCounts(harness)).waiting ?? 0;
    if (parked !== runs) throw new Error(`approvals benchmark: ${parked} runs waiting, expected ${runs}`);
    const after = await settledMemory();
    const disk = diskBytes(harness.url);

    const listBegan = performance.now();
    const tasks = await harness.engine.tasksFor(approvers[0]);
    const listSeconds = (performance.now() - listBegan) / 1000;
    if (tasks.length !== runs) throw new Error(`approvals benchmark: ${tasks.length} pending tasks for the manager, expected ${runs}`);
    if (runs >= 5_000) log(`${sync}: ${runs.toLocaleString('en')} runs parked on approvals; deciding them`);

    const stats = { ...harness.worker.stats };
    const decideBegan = performance.now();
    await decideAll(harness, tasks.map((task) => task.id), { concurrency, approvers });
    const decided = performance.now();
    await harness.worker.drain();
    const drained = performance.now();
    await checkAllDecidedOnce(harness, runs, approvers.length);

    const decideSeconds = (decided - decideBegan) / 1000;
    const drainSeconds = (drained - decided) / 1000;
    return {
      runs,
      chunk,
      concurrency,
      quorum,
      decisionsPerTask: approvers.length,
      parkSeconds,
      parkedPerSec: runs / parkSeconds,
      memory: { before, tenth, parked: after },
      rssGrowth: after.rss - before.rss,
      heapGrowth: after.heapUsed - before.heapUsed,
      marginalRssPerRun: (after.rss - tenth.rss) / (runs - tenthCount),
      gcForced: gcAvailable,
      disk,
      listSeconds,
      decideSeconds,
      drainSeconds,
      decisionsPerSec: (runs * approvers.length) / (decideSeconds + drainSeconds),
      tasksPerSec: runs / (decideSeconds + drainSeconds),
      transactions: harness.worker.stats.transactions - stats.transactions,
      checkpoints: harness.worker.stats.checkpoints - stats.checkpoints,
    };
  } finally {
    await harness.close();
  }
}

/** `concurrency` callers, each taking the next undecided task and sending its approvers' decisions at once. */
async function decideAll(harness: Harness, taskIds: string[], options: { concurrency: number; approvers: Approver[] }): Promise<void> {
  const { concurrency, approvers } = options;
  let next = 0;
  const caller = async () => {
    while (next < taskIds.length) {
      const taskId = taskIds[next++];
      await Promise.all(approvers.map((by) => harness.engine.decide(taskId, { by, decision: 'approve' })));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, taskIds.length) }, caller));
}

/** Every run completed on `approved`, each task approved, each decision delivered exactly once. */
async function checkAllDecidedOnce(harness: Harness, runs: number, perTask: number): Promise<void> {
  const counts = await statusCounts(harness);
  const facts = {
    completed: counts.completed ?? 0,
    approvedTasks: await harness.count("SELECT COUNT(*) FROM approval_tasks WHERE status = 'approved'"),
    decidedEvents: await harness.count("SELECT COUNT(*) FROM history_events WHERE type = 'approvalDecided'"),
    counted: await harness.count('SELECT COUNT(*) FROM approval_decisions'),
    undelivered: await harness.count('SELECT COUNT(*) FROM signals WHERE delivered_at IS NULL'),
  };
  const expected = { completed: runs, approvedTasks: runs, decidedEvents: runs, counted: runs * perTask, undelivered: 0 };
  if (JSON.stringify(facts) !== JSON.stringify(expected)) {
    throw new Error(`approvals benchmark: after deciding, ${JSON.stringify(facts)}; expected ${JSON.stringify(expected)} (${JSON.stringify(counts)})`);
  }
}
