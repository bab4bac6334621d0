// `npm run bench:postgres`: checkpointed steps/s on PostgreSQL with 1, 2 and 4 worker processes,
// beside the floor measured in the same run: single-row INSERT transactions/s through `pg`, one
// connection, autocommit. The cluster is a throw-away one with PostgreSQL's durable defaults
// (fsync on, synchronous_commit on), or CAIRN_BENCH_POSTGRES_URL's.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openEngineDatabase } from '../server/db/engine-database.js';
import { FakeClock } from '../server/engine/clock.js';
import { createEngine } from '../server/engine/engine.js';
import { createQueuedAdmission } from '../server/engine/runner/queued-admission.js';
import { median } from './stats.js';
import { userStepsRound, type UserStepsRound } from './users.js';
import { stepsGraph } from './workloads.js';

const RUNS = 2_000;
const STEPS_PER_RUN = 10;
const WORKER_COUNTS = [1, 2, 4];
const ROUNDS = 3;
const RESULTS_FILE = fileURLToPath(new URL('../bench-results/postgres.json', import.meta.url));
const clusterScript = fileURLToPath(new URL('../scripts/postgres.sh', import.meta.url));
const progress = (message: string) => process.stderr.write(`${message}\n`);

function databaseUrl(admin: string, name: string): string {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Single-row autocommit INSERTs on one connection: each one a transaction with its own WAL flush. */
async function measureFloor(adminUrl: string, inserts = 2_000): Promise<number> {
  return admin(adminUrl, async (client) => {
    await client.query('CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, value text NOT NULL)');
    for (let i = 0; i < 100; i++) await client.query('INSERT INTO bench_floor (value) VALUES ($1)', [`warm-${i}`]);
    const began = performance.now();
    for (let i = 0; i < inserts; i++) await client.query('INSERT INTO bench_floor (value) VALUES ($1)', [`row-${i}`]);
    const perSec = inserts / ((performance.now() - began) / 1000);
    await client.query('DROP TABLE bench_floor');
    return perSec;
  });
}

function forkWorker(url: string, workerId: string): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL('./postgres-worker.ts', import.meta.url)), [JSON.stringify({ url, workerId })], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => (message === 'ready' ? resolve(child) : reject(new Error(`unexpected message ${String(message)}`))));
    child.once('exit', (code) => reject(new Error(`a benchmark worker exited with code ${code} before it was ready`)));
  });
}

interface StepsRound {
  seconds: number;
  stepsPerSec: number;
  transactions: number;
  checkpoints: number;
}

/** A fresh database with RUNS pending runs; `workers` processes start together and drain them. */
async function stepsRound(adminUrl: string, workers: number, round: number): Promise<StepsRound> {
  const name = `cairn_bench_${workers}_${round}_${process.pid}`;
  await admin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => client.query(`CREATE DATABASE ${name}`)));
  const url = databaseUrl(adminUrl, name);
  const database = await openEngineDatabase(url);
  const children: ChildProcess[] = [];
  try {
    const clock = new FakeClock(Date.now());
    const engine = createEngine({ store: database.store, worker: createQueuedAdmission({ store: database.store, clock }), clock });
    const { versionId } = await database.publishVersion({ slug: 'steps', graph: stepsGraph(STEPS_PER_RUN), now: clock.now() });
    // Queued before any worker starts, so the workers start together on the same backlog.
    for (let i = 0; i < RUNS; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, RUNS - i) }, () => engine.startRun({ versionId, input: {} })));
    }
    for (let i = 0; i < workers; i++) children.push(await forkWorker(url, `bench-${i + 1}`));
    const began = performance.now();
    for (const child of children) child.send('go');
    for (;;) {
      const completed = Number(await database.scalar("SELECT COUNT(*) FROM instances WHERE status = 'completed'"));
      if (completed === RUNS) break;
      if (performance.now() - began > 300_000) throw new Error(`postgres steps: ${completed} of ${RUNS} runs completed after 5 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const seconds = (performance.now() - began) / 1000;
    const stats = await Promise.all(
      children.map(
        (child) =>
          new Promise<{ transactions: number; checkpoints: number }>((resolve) => {
            child.once('message', (message) => resolve((message as { stats: { transactions: number; checkpoints: number } }).stats));
            child.send('stop');
          }),
      ),
    );
    return {
      seconds,
      stepsPerSec: (RUNS * STEPS_PER_RUN) / seconds,
      transactions: stats.reduce((sum, s) => sum + s.transactions, 0),
      checkpoints: stats.reduce((sum, s) => sum + s.checkpoints, 0),
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await database.close();
    await admin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

/**
 * The users' steps scenario (issue 21) on PostgreSQL with one worker: Cairn in-process with its
 * defaults on a fresh database, 1,000 runs × 10 steps of `input + 1` started at once through
 * engine.startRun, wall time to the last completion (bench/users.ts). An untimed round first.
 */
async function usersStepsRounds(adminUrl: string): Promise<UserStepsRound[]> {
  const rounds: UserStepsRound[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const name = `cairn_bench_users_${round}_${process.pid}`;
    await admin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => client.query(`CREATE DATABASE ${name}`)));
    try {
      const result = await userStepsRound(databaseUrl(adminUrl, name), round === 0 ? 200 : 1_000);
      if (round > 0) rounds.push(result);
    } finally {
      await admin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  }
  return rounds;
}

async function main(): Promise<void> {
  let adminUrl = process.env.CAIRN_BENCH_POSTGRES_URL;
  let clusterDir: string | undefined;
  if (!adminUrl) {
    clusterDir = mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-pg-'));
    progress('starting a throw-away PostgreSQL cluster (durable defaults: fsync on, synchronous_commit on)');
    adminUrl = execFileSync('bash', [clusterScript, 'start', clusterDir], { encoding: 'utf8' }).trim();
  }
  try {
    progress('floor: single-row INSERT transactions through pg');
    const floorRounds = [];
    for (let i = 0; i < ROUNDS; i++) floorRounds.push(await measureFloor(adminUrl));
    const floor = median(floorRounds);
    const results = [];
    for (const workers of WORKER_COUNTS) {
      progress(`steps: ${RUNS.toLocaleString()} runs × ${STEPS_PER_RUN} steps, ${workers} worker process${workers > 1 ? 'es' : ''}`);
      const rounds: StepsRound[] = [];
      for (let round = 0; round < ROUNDS; round++) rounds.push(await stepsRound(adminUrl, workers, round));
      const stepsPerSec = median(rounds.map((round) => round.stepsPerSec));
      results.push({ workers, stepsPerSec, overFloor: stepsPerSec / floor, rounds });
    }
    progress('users\' steps: 1,000 runs × 10 steps of input + 1, one worker in process, started at once through engine.startRun');
    const usersRounds = await usersStepsRounds(adminUrl);
    const users = usersRounds.find((round) => round.stepsPerSec === median(usersRounds.map((candidate) => candidate.stepsPerSec)))!;
    const usersOverFloor = users.stepsPerSec / floor;
    const lines = [
      `PostgreSQL (${os.cpus().length} cores): floor ${Math.round(floor).toLocaleString()} single-row insert tx/s (median of ${ROUNDS})`,
      `users' steps, one worker in process: ${Math.round(users.stepsPerSec).toLocaleString()} steps/s (rounds ${usersRounds.map((round) => Math.round(round.stepsPerSec).toLocaleString()).join(' / ')}), ${usersOverFloor.toFixed(2)}× floor, ${users.cpuMicrosPerStep.toFixed(0)} µs CPU a step, ${users.checkpointsPerTransaction.toFixed(1)} checkpoints/tx: target ≥ 5× ${usersOverFloor >= 5 ? 'PASS' : 'MISS'}`,
      '',
      '| workers | steps/s | ÷ floor | checkpoints/transaction | target |',
      '|---|---|---|---|---|',
      ...results.map((result) => {
        const median = result.rounds.find((round) => round.stepsPerSec === result.stepsPerSec)!;
        const target = result.workers === 1 ? (result.overFloor >= 2 ? '≥ 2× PASS' : '≥ 2× MISS') : '';
        return `| ${result.workers} | ${Math.round(result.stepsPerSec).toLocaleString()} | ${result.overFloor.toFixed(2)}× | ${(median.checkpoints / median.transactions).toFixed(1)} | ${target} |`;
      }),
    ];
    console.log(`\n${lines.join('\n')}`);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify({ measuredAt: new Date().toISOString(), floor, floorRounds, runs: RUNS, stepsPerRun: STEPS_PER_RUN, results, users: { ...users, overFloor: usersOverFloor, rounds: usersRounds } }, null, 2)}\n`);
    console.log(`\nfigures written to ${RESULTS_FILE}`);
  } finally {
    if (clusterDir) execFileSync('bash', [clusterScript, 'stop', clusterDir]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
