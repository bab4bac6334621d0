// The users' scenarios (issue 21): what an embedding caller sees, measured through the engine's own
// API with Cairn's defaults (bench/in-process.ts), each in a fresh Node process so that its peak RSS
// is its own. `steps`: 1,000 runs × 10 steps of `input + 1`, all started at once with
// engine.startRun, wall time from the first start to the last completion. `parking`: 10,000 runs
// started at once that park on an `event` node; the process closes and reopens on the file (time to
// the first resumed run); then one engine.signal per run, all at once, wall time to the last completion.
// The crash scenario is bench/crash.ts.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { openInProcess, scenarioFolder } from './in-process.js';
import { measureCrash, type CrashResult } from './crash.js';
import { runIsolated } from './isolated.js';
import { medianRound } from './stats.js';
import { addOneAction, addOneGraph, signalGraph } from './workloads.js';

export interface UserStepsRound {
  seconds: number;
  stepsPerSec: number;
  /** CPU time of the whole process (user + system) per step: steadier than the wall clock here. */
  cpuMicrosPerStep: number;
  transactions: number;
  checkpointsPerTransaction: number;
}

export interface UserStepsResult extends UserStepsRound {
  runs: number;
  stepsPerRun: number;
  rounds: UserStepsRound[];
  /** The process's peak resident set (process.resourceUsage().maxRSS), bytes, over warm-up and rounds. */
  peakRss: number;
}

export interface UserParkingResult {
  runs: number;
  parkSeconds: number;
  parkedPerSec: number;
  /** Opening the file with every run parked, starting the worker, one signal, that run completed. */
  reopenSeconds: number;
  resumeSeconds: number;
  resumedPerSec: number;
  peakRss: number;
}

const CHILD = fileURLToPath(new URL('./users.child.ts', import.meta.url));

export function measureUserStepsIsolated(sync: SqliteSync, options: { runs?: number; rounds?: number } = {}): Promise<UserStepsResult> {
  return runIsolated<UserStepsResult>(CHILD, { scenario: 'steps', sync, options }, 'users\' steps');
}

export function measureUserParkingIsolated(sync: SqliteSync, options: { runs?: number } = {}): Promise<UserParkingResult> {
  return runIsolated<UserParkingResult>(CHILD, { scenario: 'parking', sync, options }, 'users\' parking');
}

const STEPS = 10;

export async function measureUserSteps(sync: SqliteSync, options: { runs?: number; rounds?: number } = {}): Promise<UserStepsResult> {
  const runs = options.runs ?? 1_000;
  // An untimed round first, so the timed ones measure JIT-compiled code as a long-lived process would.
  await stepsRound(sync, Math.min(200, runs));
  const rounds: UserStepsRound[] = [];
  // Five rounds: on a shared 2-core machine one round of this scenario varies by ±15 %.
  for (let i = 0; i < (options.rounds ?? 5); i++) rounds.push(await stepsRound(sync, runs));
  return { runs, stepsPerRun: STEPS, ...medianRound(rounds, (round) => round.stepsPerSec), rounds, peakRss: process.resourceUsage().maxRSS * 1024 };
}

async function stepsRound(sync: SqliteSync, runs: number): Promise<UserStepsRound> {
  const folder = scenarioFolder();
  try {
    return await userStepsRound(`file:${path.join(folder, 'steps.db')}`, runs, sync);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** One round of the steps scenario on the database at `databaseUrl` (SQLite or PostgreSQL, migrated on open). */
export async function userStepsRound(databaseUrl: string, runs: number, sync?: SqliteSync): Promise<UserStepsRound> {
  const cairn = await openInProcess({ databaseUrl, sync, actions: [addOneAction] });
  try {
    const versionId = await cairn.publish(addOneGraph(STEPS), 'users-steps');
    const before = { ...cairn.worker.stats };
    const lastCompletion = cairn.completions(runs);
    const cpuBefore = process.cpuUsage();
    const began = performance.now();
    const started = await Promise.all(Array.from({ length: runs }, (_, index) => cairn.engine.startRun({ versionId, input: { value: index } })));
    const seconds = ((await lastCompletion) - began) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    // Every run added 1 ten times to its own input.
    for (const index of [0, runs - 1]) {
      const run = await cairn.engine.getRun(started[index].id);
      const value = (run.state.outputs.s10 as { value?: number } | undefined)?.value;
      if (run.status !== 'completed' || value !== index + STEPS) throw new Error(`users' steps: run ${index} ended ${run.status} with ${JSON.stringify(value)}, not ${index + STEPS}`);
    }
    const transactions = cairn.worker.stats.transactions - before.transactions;
    const checkpoints = cairn.worker.stats.checkpoints - before.checkpoints;
    return { seconds, stepsPerSec: (runs * STEPS) / seconds, cpuMicrosPerStep: (cpu.user + cpu.system) / (runs * STEPS), transactions, checkpointsPerTransaction: checkpoints / transactions };
  } finally {
    await cairn.close();
  }
}

export async function measureUserParking(sync: SqliteSync, options: { runs?: number } = {}): Promise<UserParkingResult> {
  // An untimed round first (JIT, as for steps), on a throwaway file.
  await parkingRound(sync, Math.min(2_000, options.runs ?? 10_000));
  return parkingRound(sync, options.runs ?? 10_000);
}

async function parkingRound(sync: SqliteSync, runs: number): Promise<UserParkingResult> {
  const folder = scenarioFolder();
  const databaseUrl = `file:${path.join(folder, 'parking.db')}`;
  try {
    const first = await openInProcess({ databaseUrl, sync });
    const versionId = await first.publish(signalGraph(), 'users-parking');
    const parkBegan = performance.now();
    const started = await Promise.all(Array.from({ length: runs }, () => first.engine.startRun({ versionId, input: {} })));
    const parkSeconds = (performance.now() - parkBegan) / 1000;
    const ids = started.map((run) => run.id);
    const notParked = started.filter((run) => run.status !== 'waiting').length;
    if (notParked > 0) throw new Error(`users' parking: ${notParked} of ${runs} runs were not waiting once started`);
    await first.close();

    const reopenBegan = performance.now();
    const second = await openInProcess({ databaseUrl, sync });
    try {
      const firstResumed = second.completions(1);
      await second.engine.signal(ids[0], 'go');
      const reopenSeconds = ((await firstResumed) - reopenBegan) / 1000;

      const rest = ids.slice(1);
      const lastCompletion = second.completions(rest.length);
      const resumeBegan = performance.now();
      await Promise.all(rest.map((id) => second.engine.signal(id, 'go')));
      const resumeSeconds = ((await lastCompletion) - resumeBegan) / 1000;
      const completed = Number(await second.database.scalar("SELECT COUNT(*) FROM instances WHERE status = 'completed'"));
      if (completed !== runs) throw new Error(`users' parking: ${completed} of ${runs} runs completed`);
      return {
        runs,
        parkSeconds,
        parkedPerSec: runs / parkSeconds,
        reopenSeconds,
        resumeSeconds,
        resumedPerSec: rest.length / resumeSeconds,
        peakRss: process.resourceUsage().maxRSS * 1024,
      };
    } finally {
      await second.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The steps scenario at both syncs, in alternating fresh processes: every timed round's steps/s. */
export interface PairedModes {
  pairs: number;
  full: number[];
  normal: number[];
}

/**
 * FULL and NORMAL compared pair by pair: FULL, NORMAL, then NORMAL, FULL, and so on, each in a fresh
 * process. This machine's speed drifts by a third within an hour, and each mode's own table is
 * measured minutes apart from the other's, so comparing those two figures compares two moments.
 */
export async function measureModesPaired(pairs = 3): Promise<PairedModes> {
  const result: PairedModes = { pairs, full: [], normal: [] };
  for (let pair = 0; pair < pairs; pair++) {
    for (const sync of pair % 2 === 0 ? (['full', 'normal'] as const) : (['normal', 'full'] as const)) {
      const steps = await measureUserStepsIsolated(sync);
      result[sync].push(...steps.rounds.map((round) => round.stepsPerSec));
    }
  }
  return result;
}

export interface UsersResult {
  steps: UserStepsResult;
  parking: UserParkingResult;
  crash: CrashResult;
}

/** The three users' scenarios of one sync mode, each in processes of its own. */
export async function measureUsers(sync: SqliteSync, progress: (message: string) => void): Promise<UsersResult> {
  progress(`[${sync}] users' steps: 1,000 runs × 10 steps of input + 1, started at once through engine.startRun (a fresh process)`);
  const steps = await measureUserStepsIsolated(sync);
  progress(`[${sync}] users' parking: 10,000 runs on an event, reopened, then a signal each (a fresh process)`);
  const parking = await measureUserParkingIsolated(sync);
  progress(`[${sync}] users' crash: 200 runs × 10 steps of 20 ms, SIGKILL at half, restart (3 rounds)`);
  const crash = await measureCrash(sync);
  return { steps, parking, crash };
}
