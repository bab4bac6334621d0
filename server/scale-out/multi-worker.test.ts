// Scale-out (issue 7): three `cairn worker` processes and one API process (`cairn start
// --no-worker`) on one PostgreSQL database run 500 runs of ten HTTP steps. One worker is SIGKILLed
// while it holds runs; after its leases expire the others recover them. Every run completes, no
// step completion is recorded twice, every side effect reached the outside world, and the
// duplicates a crash causes are counted (each backed by a checkpointed attempt).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { connectReader, createCluster, exclusiveMachine, publish, restClient, waitFor, type CairnProcess, type Cluster } from '../testing/cluster.js';
import { startSink, type Sink } from '../testing/sink.js';

const RUNS = 500;
const STEPS = 10;
const SLUG = 'scale-out';
const STEP_IDS = Array.from({ length: STEPS }, (_, i) => `s${i + 1}`);
const WORKERS = ['worker-a', 'worker-b', 'worker-c'];
const LEASE_MS = 2_000;
/** Kill once the sink has seen this many requests (of RUNS × STEPS) and the victim holds runs. */
const KILL_AFTER = 1_000;
const VICTIM_HOLDS_AT_LEAST = 5;

/** start → s1 → … → s10 → end; every step POSTs to the sink, which sees its Idempotency-Key. */
function graph(sinkUrl: string) {
  const nodes = [
    { id: 'start', kind: 'start', config: {} },
    ...STEP_IDS.map((id) => ({ id, kind: 'step', config: { action: 'http.request', input: { method: 'POST', url: `${sinkUrl}/${id}`, body: { run: '{{ instance.id }}' } } } })),
    { id: 'end', kind: 'end', config: {} },
  ];
  const chain = ['start', ...STEP_IDS, 'end'];
  const edges = chain.slice(1).map((target, i) => ({ id: `e${i + 1}`, source: chain[i], sourcePort: i === 0 ? 'next' : 'ok', target }));
  return { format: 'cairn.graph/v1', nodes, edges };
}

let release: (() => Promise<void>) | undefined;
let database: TestDatabase | undefined;
let cluster: Cluster | undefined;
let sink: Sink | undefined;
let db: pg.Client | undefined;
beforeAll(async () => {
  release = await exclusiveMachine();
}, 180_000);
afterAll(async () => {
  await cluster?.stopAll();
  await db?.end();
  await database?.drop();
  await sink?.close();
  await release?.();
});

/** Who holds which unfinished run, sampled while the test waits: the last holder of a run finished it. */
function leaseSampler(client: pg.Client) {
  const lastHolder = new Map<string, string>();
  let holding = new Map<string, number>();
  return {
    lastHolder,
    holding: () => holding,
    async sample() {
      const { rows } = await client.query<{ id: string; lease_owner: string }>(
        'SELECT id, lease_owner FROM instances WHERE lease_owner IS NOT NULL AND finished_at IS NULL',
      );
      holding = new Map();
      for (const row of rows) {
        lastHolder.set(row.id, row.lease_owner);
        holding.set(row.lease_owner, (holding.get(row.lease_owner) ?? 0) + 1);
      }
    },
  };
}

describe('three workers and one API process on one PostgreSQL database', () => {
  it(`${RUNS} runs × ${STEPS} HTTP steps complete after one worker is SIGKILLed mid-run; no step completion twice`, async () => {
    const began = Date.now();
    database = await createTestDatabase('postgresql');
    sink = await startSink({ delayMs: 5 });
    // The sink listens on 127.0.0.1: the workers' egress policy must name it.
    cluster = createCluster(database.url, { CAIRN_LEASE_MS: String(LEASE_MS), CAIRN_HTTP_ALLOW: '127.0.0.1' });
    const [api, ...workers] = await Promise.all([cluster.api(), ...WORKERS.map((id) => cluster!.worker(id))]);
    const rest = restClient(api.url);
    db = await connectReader(database.url);
    const reader = db;
    await publish(rest, SLUG, graph(sink.url));
    const ready = Date.now();

    // The starts, 25 at a time; the workers take the runs as they arrive (NOTIFY).
    const ids: string[] = new Array(RUNS);
    let next = 0;
    const starter = async () => {
      for (let i = next++; i < RUNS; i = next++) {
        const started = await rest('POST', `/api/v1/workflows/${SLUG}/instances`, { body: { input: { i } }, headers: { 'idempotency-key': `scale-out-${i}` } });
        if (started.status !== 201) throw new Error(`start ${i} gave ${started.status}: ${JSON.stringify(started.body)}`);
        ids[i] = started.body.id;
      }
    };
    await Promise.all(Array.from({ length: 25 }, starter));
    expect(new Set(ids).size).toBe(RUNS);

    // The kill: a few hundred side effects in, at a moment when the chosen worker holds runs.
    const leases = leaseSampler(reader);
    let victim: CairnProcess | undefined;
    await waitFor(
      async () => {
        await leases.sample();
        if (sink!.received >= RUNS * STEPS - 500) throw new Error(`the runs were nearly done (${sink!.received} requests) before a worker held enough of them to kill`);
        const [owner, held] = [...leases.holding()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
        victim = workers.find((worker) => worker.name === owner);
        return sink!.received >= KILL_AFTER && held >= VICTIM_HOLDS_AT_LEAST && victim !== undefined;
      },
      { what: `${KILL_AFTER} side effects and a worker holding ${VICTIM_HOLDS_AT_LEAST} runs`, timeoutMs: 30_000, everyMs: 10 },
    );
    await cluster.kill(victim!);
    expect((await victim!.exited).signal).toBe('SIGKILL');
    const atKill = { received: sink.received, at: Date.now() };
    // What the dead worker held: its leases stay until they expire and another worker takes the run.
    const { rows: orphaned } = await reader.query<{ id: string; status: string; lease_expires_at: number }>(
      `SELECT id, status, (extract(epoch from lease_expires_at) * 1000)::float8 AS lease_expires_at
       FROM instances WHERE lease_owner = $1 AND finished_at IS NULL`,
      [victim!.name],
    );
    expect(orphaned.length, 'the killed worker held no runs: the kill proved nothing').toBeGreaterThan(0);

    const completed = async () => (await reader.query<{ n: number }>(`SELECT COUNT(*) AS n FROM instances WHERE status = 'completed'`)).rows[0].n;
    await waitFor(
      async () => {
        await leases.sample();
        const { rows } = await reader.query<{ id: string; status: string }>(`SELECT id, status FROM instances WHERE status IN ('failed', 'cancelled') LIMIT 1`);
        if (rows[0]) throw new Error(`run ${rows[0].id} ${rows[0].status}`);
        return (await completed()) === RUNS;
      },
      { what: `all ${RUNS} runs completed`, timeoutMs: 60_000, everyMs: 25 },
    );
    const finished = Date.now();

    // Nothing was recorded twice, and each run completed each step once.
    const { rows: statuses } = await reader.query('SELECT status, COUNT(*) AS n FROM instances GROUP BY status');
    expect(statuses).toEqual([{ status: 'completed', n: RUNS }]);
    const { rows: twice } = await reader.query(
      `SELECT instance_id, node_id, visit, COUNT(*) AS n FROM history_events WHERE type = 'nodeCompleted' GROUP BY instance_id, node_id, visit HAVING COUNT(*) > 1`,
    );
    expect(twice).toEqual([]);
    const { rows: perRun } = await reader.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM history_events WHERE type = 'nodeCompleted' AND node_id = ANY($1::text[]) GROUP BY instance_id`,
      [STEP_IDS],
    );
    expect(perRun.map((row) => row.n)).toEqual(Array(RUNS).fill(STEPS));

    // Every side effect reached the sink, and none more often than its attempts were checkpointed.
    const expectedKeys = ids.flatMap((id) => STEP_IDS.map((step) => `${id}:${step}:1`));
    expect(expectedKeys.filter((key) => !sink!.byKey.has(key))).toEqual([]);
    expect(sink.byKey.size).toBe(RUNS * STEPS);
    const { rows: attemptRows } = await reader.query<{ key: string; n: number }>(
      `SELECT data::jsonb ->> 'idempotencyKey' AS key, COUNT(*) AS n FROM history_events WHERE type = 'stepAttemptStarted' GROUP BY 1`,
    );
    const attempts = new Map(attemptRows.map((row) => [row.key, row.n]));
    expect([...sink.byKey].filter(([key, n]) => n > (attempts.get(key) ?? 0))).toEqual([]);
    const duplicates = [...sink.byKey.values()].reduce((sum, n) => sum + n - 1, 0);

    // The dead worker's runs were taken over only after their leases expired: each attempt it had
    // in flight was failed as interrupted (and retried) by another worker, no earlier.
    const { rows: interrupted } = await reader.query<{ instance_id: string; at: number }>(
      `SELECT instance_id, (extract(epoch from at) * 1000)::float8 AS at FROM history_events
       WHERE type = 'stepAttemptFailed' AND data::jsonb -> 'error' ->> 'code' = 'INTERRUPTED'`,
    );
    const interruptedAt = new Map<string, number>();
    for (const row of interrupted) interruptedAt.set(row.instance_id, Math.min(row.at, interruptedAt.get(row.instance_id) ?? Infinity));
    const midStep = orphaned.filter((run) => run.status === 'running');
    expect(midStep.length).toBeGreaterThan(0);
    expect(midStep.filter((run) => !(interruptedAt.get(run.id)! >= run.lease_expires_at))).toEqual([]);

    const byWorker = new Map<string, number>();
    for (const id of ids) {
      const holder = leases.lastHolder.get(id) ?? 'not seen holding it';
      byWorker.set(holder, (byWorker.get(holder) ?? 0) + 1);
    }
    console.log(
      `multi-worker: ${RUNS} runs × ${STEPS} steps on 3 workers + 1 API; processes up in ${((ready - began) / 1000).toFixed(1)} s, ` +
        `all completed ${((finished - ready) / 1000).toFixed(1)} s after publishing. Killed ${victim!.name} at ${atKill.received} side effects ` +
        `holding ${orphaned.length} runs (${midStep.length} mid-step); all done ${((finished - atKill.at) / 1000).toFixed(1)} s after the kill. ` +
        `Interrupted attempts: ${interrupted.length}; side-effect duplicates at the sink: ${duplicates}. ` +
        `Runs finished by (last lease holder seen): ${[...byWorker].map(([worker, n]) => `${worker} ${n}`).join(', ')}`,
    );
  }, 150_000);
});
