// Checkpointed steps/s: many runs of ten trivial steps started together, so the group committer
// can put the checkpoints of different runs into one transaction (DESIGN §5).
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { createHarness } from '../server/testing/harness.js';
import { statusCounts } from './db-stats.js';
import { medianRound } from './stats.js';
import { noopAction, stepsGraph } from './workloads.js';

export interface StepsRound {
  seconds: number;
  stepsPerSec: number;
  transactions: number;
  checkpoints: number;
  checkpointsPerTransaction: number;
}

export interface StepsResult extends StepsRound {
  runs: number;
  stepsPerRun: number;
  steps: number;
  /** Every timed round; the top-level figures are the median round's. */
  rounds: StepsRound[];
}

export interface StepsOptions {
  runs?: number;
  stepsPerRun?: number;
  rounds?: number;
  /** Runs of an untimed first round, so the timed rounds measure JIT-compiled code. */
  warmupRuns?: number;
}

export async function measureSteps(sync: SqliteSync, options: StepsOptions = {}): Promise<StepsResult> {
  const runs = options.runs ?? 1_000;
  const stepsPerRun = options.stepsPerRun ?? 10;
  await stepsRound(sync, options.warmupRuns ?? 200, stepsPerRun);
  const rounds: StepsRound[] = [];
  for (let i = 0; i < (options.rounds ?? 3); i++) rounds.push(await stepsRound(sync, runs, stepsPerRun));
  return { runs, stepsPerRun, steps: runs * stepsPerRun, ...medianRound(rounds, (round) => round.stepsPerSec), rounds };
}

/** A fresh database; `runs` runs started at once, then drained. The clock starts before the first start. */
async function stepsRound(sync: SqliteSync, runs: number, stepsPerRun: number): Promise<StepsRound> {
  const harness = await createHarness({ sync, actions: [noopAction] });
  try {
    const { versionId } = await harness.publish(stepsGraph(stepsPerRun));
    const before = { ...harness.worker.stats };
    const began = performance.now();
    // Started together (one promise each): their first checkpoints share transactions.
    await Promise.all(Array.from({ length: runs }, () => harness.engine.startRun({ versionId, input: {} })));
    await harness.worker.drain();
    const seconds = (performance.now() - began) / 1000;

    const counts = await statusCounts(harness);
    if (counts.completed !== runs) throw new Error(`steps benchmark: ${counts.completed ?? 0} of ${runs} runs completed (${JSON.stringify(counts)})`);
    const transactions = harness.worker.stats.transactions - before.transactions;
    const checkpoints = harness.worker.stats.checkpoints - before.checkpoints;
    return { seconds, stepsPerSec: (runs * stepsPerRun) / seconds, transactions, checkpoints, checkpointsPerTransaction: checkpoints / transactions };
  } finally {
    await harness.close();
  }
}
