// Scale-out (issue 7): 10,000 runs wait on timers spread over one hour, and three workers — one
// process, one shared FakeClock, but each with its own connection pool, store and wake-up listener —
// compete for them through PostgreSQL as the clock moves through the hour a minute at a time. Every
// timer fires once, none before it is due, and every worker fires some of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { graphSchema } from '../../shared/graph/graph.schema.js';
import { builtinActions } from '../actions/builtin.actions.js';
import { ActionRegistry } from '../actions/registry.js';
import { openEngineDatabase, type EngineDatabase } from '../db/engine-database.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { FakeClock } from '../engine/clock.js';
import { newRunId } from '../engine/ids.js';
import { createWorker, type Worker } from '../engine/runner/worker.js';
import { createLogger } from '../logger.js';
import { connectReader, exclusiveMachine, waitFor } from '../testing/cluster.js';

const RUNS = 10_000;
const HOUR_MS = 3_600_000;
const STEP_MS = 60_000;
const WORKERS = 3;
const T0 = Date.UTC(2026, 0, 1);
/** Run i's timer is due (i + 1) × 360 ms into the hour: the last one exactly at its end. */
const dueOf = (i: number) => T0 + ((i + 1) * HOUR_MS) / RUNS;

/** start → w (wait until input.due) → end. */
const graph = graphSchema.parse({
  format: 'cairn.graph/v1',
  nodes: [
    { id: 'start', kind: 'start', config: {} },
    { id: 'w', kind: 'wait', config: { until: '{{ input.due }}' } },
    { id: 'end', kind: 'end', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'w' },
    { id: 'e2', source: 'w', sourcePort: 'next', target: 'end' },
  ],
});

let release: (() => Promise<void>) | undefined;
let database: TestDatabase | undefined;
const databases: EngineDatabase[] = [];
const workers: Worker[] = [];
let db: pg.Client | undefined;
beforeAll(async () => {
  release = await exclusiveMachine();
}, 180_000);
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop({ graceMs: 1_000 })));
  await Promise.all(databases.map((engineDb) => engineDb.close()));
  await db?.end();
  await database?.drop();
  await release?.();
});

describe('timers across three competing workers', () => {
  it(`${RUNS} timers spread over an hour fire once each, none early, shared by the workers`, async () => {
    const began = Date.now();
    database = await createTestDatabase('postgresql');
    const clock = new FakeClock(T0);
    for (let i = 0; i < WORKERS; i++) databases.push(await openEngineDatabase(database.url, { migrate: false, poolSize: 4 }));
    const fired = Array<number>(WORKERS).fill(0);
    for (const [i, engineDb] of databases.entries()) {
      const worker = createWorker({
        store: engineDb.store,
        clock,
        actions: new ActionRegistry(builtinActions),
        logger: createLogger({ level: "error" }),
        workerId: `timers-${i}`,
        // Smaller claims than the default, so that one worker's scan does not take a whole minute's timers.
        claimBatch: 50,
      });
      // A run's last checkpoint is the one its timer led to (wait → end): count who wrote it.
      worker.onCheckpoint((notice) => {
        if (notice.status === 'completed') fired[i]++;
      });
      workers.push(worker);
      await worker.start();
    }
    db = await connectReader(database.url);
    const reader = db;
    await databases[0].publishVersion({ slug: 'timers', graph, now: clock.now() });
    const version = (await databases[0].store.activeVersion('timers'))!;

    // One worker admits all the runs; group commit writes them in few transactions.
    const admitted = await Promise.all(
      Array.from({ length: RUNS }, (_, i) => workers[0].admit(version, { id: newRunId(clock), input: { due: new Date(dueOf(i)).toISOString() } })),
    );
    expect(admitted.filter((result) => !(result.ok && result.status === 'waiting'))).toEqual([]);
    const created = Date.now();
    const checkpointsBefore = workers.map((worker) => worker.stats.checkpoints);

    const progress = async (now: number) =>
      (
        await reader.query<{ completed: number; other: number; due_left: number; leased: number }>(
          `SELECT COUNT(*) FILTER (WHERE status = 'completed') AS completed,
             COUNT(*) FILTER (WHERE status NOT IN ('completed', 'waiting')) AS other,
             (SELECT COUNT(*) FROM timers WHERE due_at <= to_timestamp($1::float8 / 1000) AT TIME ZONE 'UTC') AS due_left,
             COUNT(*) FILTER (WHERE lease_owner IS NOT NULL) AS leased
           FROM instances`,
          [now],
        )
      ).rows[0];

    // Through the hour a minute at a time; after each minute, every run due by then has moved on
    // (and nothing is held) before the clock moves again.
    for (let minute = 1; minute <= HOUR_MS / STEP_MS; minute++) {
      clock.advance(STEP_MS);
      const now = clock.now();
      const due = Math.min(RUNS, Math.floor(((now - T0) * RUNS) / HOUR_MS));
      await waitFor(
        async () => {
          const state = await progress(now);
          if (state.completed > due) throw new Error(`minute ${minute}: ${state.completed} runs completed but only ${due} timers were due`);
          if (state.other > 0) throw new Error(`minute ${minute}: ${state.other} runs neither waiting nor completed`);
          return state.completed === due && state.due_left === 0 && state.leased === 0;
        },
        { what: `the ${due} runs due by minute ${minute} completed`, timeoutMs: 20_000, everyMs: 10 },
      ).catch(async (error: Error) => {
        // Say where it stuck: what is left and who holds it.
        const { rows: leases } = await reader.query(
          `SELECT i.lease_owner, i.status, COUNT(*) AS runs, COUNT(t.id) AS due_timers
           FROM instances i LEFT JOIN timers t ON t.instance_id = i.id AND t.due_at <= to_timestamp($1::float8 / 1000) AT TIME ZONE 'UTC'
           WHERE i.lease_owner IS NOT NULL OR t.id IS NOT NULL GROUP BY 1, 2`,
          [now],
        );
        const state = await progress(now);
        throw new Error(`${error.message}: ${JSON.stringify(state)}; leases and due timers ${JSON.stringify(leases)}`);
      });
    }
    const done = Date.now();

    expect(await progress(clock.now())).toEqual({ completed: RUNS, other: 0, due_left: 0, leased: 0 });
    expect((await reader.query('SELECT COUNT(*) AS n FROM timers')).rows).toEqual([{ n: 0 }]);
    // Each run's timer fired once — its wait completed once — and not before it was due, nor later
    // than the minute in which it became due.
    const { rows: fires } = await reader.query<{ runs: number; fires: number; unknown: number; early: number; late: number }>(
      `SELECT COUNT(DISTINCT instance_id) AS runs, COUNT(*) AS fires,
         COUNT(*) FILTER (WHERE data::jsonb -> 'output' ->> 'until' IS NULL) AS unknown,
         COUNT(*) FILTER (WHERE at < (data::jsonb -> 'output' ->> 'until')::timestamptz AT TIME ZONE 'UTC') AS early,
         COUNT(*) FILTER (WHERE at >= (data::jsonb -> 'output' ->> 'until')::timestamptz AT TIME ZONE 'UTC' + interval '1 minute') AS late
       FROM history_events WHERE type = 'nodeCompleted' AND node_id = 'w'`,
    );
    expect(fires).toEqual([{ runs: RUNS, fires: RUNS, unknown: 0, early: 0, late: 0 }]);

    // All three took part: the fires add up, and each worker committed some of them.
    expect(fired.reduce((sum, n) => sum + n, 0)).toBe(RUNS);
    const checkpoints = workers.map((worker, i) => worker.stats.checkpoints - checkpointsBefore[i]);
    expect(fired.filter((n) => n === 0)).toEqual([]);
    expect(checkpoints.filter((n) => n === 0)).toEqual([]);
    console.log(
      `timers: ${RUNS} runs created in ${((created - began) / 1000).toFixed(1)} s; the hour in 60 one-minute steps took ` +
        `${((done - created) / 1000).toFixed(1)} s; fired per worker ${fired.join(' / ')} (checkpoints ${checkpoints.join(' / ')})`,
    );
  }, 120_000);
});
