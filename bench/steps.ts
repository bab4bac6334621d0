// Checkpointed steps/s: many runs of ten trivial steps started together, so the group committer
// can put the checkpoints of different runs into one transaction (DESIGN §5).
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { createHarness } from '../server/engine/testing/harness.js';
import { statusCounts } from './db-stats.js';
import { noopAction, stepsGraph } from './workloads.js';

export interface StepsResult {
  runs: number;
  steps: number;
  seconds: number;
  stepsPerSec: number;
  transactions: number;
  checkpoints: number;
  checkpointsPerTransaction: number;
}

export async function measureSteps(sync: SqliteSync, options: { runs?: number; stepsPerRun?: number } = {}): Promise<StepsResult> {
  const runs = options.runs ?? 1_000;
  const stepsPerRun = options.stepsPerRun ?? 10;
  const harness = await createHarness({ sync, actions: [noopAction] });
  try {
    const { versionId } = harness.publish(stepsGraph(stepsPerRun));
    const before = { ...harness.worker.stats };
    const began = performance.now();
    // Started together (one promise each): their first checkpoints share transactions.
    await Promise.all(Array.from({ length: runs }, () => harness.engine.startRun({ versionId, input: {} })));
    await harness.worker.drain();
    const seconds = (performance.now() - began) / 1000;

    const completed = statusCounts(harness.db).completed ?? 0;
    if (completed !== runs) throw new Error(`steps benchmark: ${completed} of ${runs} runs completed (${JSON.stringify(statusCounts(harness.db))})`);
    const transactions = harness.worker.stats.transactions - before.transactions;
    const checkpoints = harness.worker.stats.checkpoints - before.checkpoints;
    const steps = runs * stepsPerRun;
    return { runs, steps, seconds, stepsPerSec: steps / seconds, transactions, checkpoints, checkpointsPerTransaction: checkpoints / transactions };
  } finally {
    await harness.close();
  }
}
