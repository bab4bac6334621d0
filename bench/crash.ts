// The crash scenario (issue 21): 200 runs × 10 steps of 20 ms, each appending its idempotency key to a
// sink file once its work is done; SIGKILL when half of the 2,000 side effects are in the sink;
// restart on the same file and let every run finish. A key in the sink twice is a step whose side
// effect happened but whose completion was not yet durable when the process died: it ran again.
// A key never in the sink, or a run not completed, is lost work.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { openDatabaseReader } from '../server/testing/database-reader.js';
import { scenarioFolder } from './in-process.js';

export interface CrashRound {
  /** Side effects in the sink when the process was killed. */
  killedAt: number;
  /** Keys in the sink more than once. */
  twice: number;
  /** Step keys never in the sink, plus runs not completed. */
  lost: number;
  /** From the restart to every run finished. */
  restartSeconds: number;
}

export interface CrashResult {
  runs: number;
  steps: number;
  rounds: CrashRound[];
  /** Totals over the rounds. */
  twice: number;
  lost: number;
}

const CHILD = fileURLToPath(new URL('./crash.child.ts', import.meta.url));

function runChild(args: string[]) {
  const child = spawn(process.execPath, [...process.execArgv, CHILD, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited };
}

const sinkKeys = (sink: string) => (existsSync(sink) ? readFileSync(sink, 'utf8').split('\n').filter(Boolean) : []);

export async function measureCrash(sync: SqliteSync, options: { runs?: number; rounds?: number } = {}): Promise<CrashResult> {
  const runs = options.runs ?? 200;
  const rounds: CrashRound[] = [];
  for (let i = 0; i < (options.rounds ?? 3); i++) rounds.push(await crashRound(sync, runs));
  return { runs, steps: 10, rounds, twice: rounds.reduce((sum, round) => sum + round.twice, 0), lost: rounds.reduce((sum, round) => sum + round.lost, 0) };
}

async function crashRound(sync: SqliteSync, runs: number): Promise<CrashRound> {
  const folder = scenarioFolder();
  const databaseUrl = `file:${path.join(folder, 'crash.db')}`;
  const sink = path.join(folder, 'sink.log');
  const half = (runs * 10) / 2;
  try {
    const first = runChild([databaseUrl, sink, 'start', sync, String(runs)]);
    // Polled every 2 ms: the kill lands within a few side effects of half.
    for (;;) {
      if (sinkKeys(sink).length >= half) break;
      const ended = await Promise.race([first.exited, new Promise((resolve) => setTimeout(resolve, 2))]);
      if (ended) throw new Error(`crash scenario: the process ended (${JSON.stringify(ended)}) before half the side effects`);
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = sinkKeys(sink).length;

    const began = performance.now();
    const second = runChild([databaseUrl, sink, 'resume', sync]);
    const outcome = await second.exited;
    if (outcome.code !== 0) throw new Error(`crash scenario: the restarted process ended with ${JSON.stringify(outcome)}`);
    const restartSeconds = (performance.now() - began) / 1000;

    const counts = new Map<string, number>();
    for (const key of sinkKeys(sink)) counts.set(key, (counts.get(key) ?? 0) + 1);
    const twice = [...counts.values()].filter((count) => count > 1).length;
    const reader = await openDatabaseReader(databaseUrl);
    try {
      const completed = Number((await reader.rows("SELECT COUNT(*) AS n FROM instances WHERE status = 'completed'"))[0].n);
      const lost = runs * 10 - counts.size + (runs - completed);
      return { killedAt, twice, lost, restartSeconds };
    } finally {
      await reader.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
