// One live process per worker id (issue 12): two `cairn worker` processes on one host, each with
// the default worker id, share 100 runs of five HTTP steps through an API process; one is SIGKILLed
// mid-run. Every run completes, and only the runs the dead worker held were interrupted: no step of
// a run the living worker held failed, ran twice or was taken over. (With the host name as the
// default id, as before, the two took each other's runs while both lived.) And a second worker
// with the explicit id of a live one refuses to start.
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { connectReader, createCluster, exclusiveMachine, ExitedEarly, publish, restClient, waitFor, type CairnProcess, type Cluster } from '../testing/cluster.js';
import { startSink, type Sink } from '../testing/sink.js';

const RUNS = 100;
const STEPS = 5;
const SLUG = 'worker-ids';
const STEP_IDS = Array.from({ length: STEPS }, (_, i) => `s${i + 1}`);
const LEASE_MS = 2_000;
/** The sink answers after this long, so that each worker has runs mid-step most of the time. */
const SINK_DELAY_MS = 150;
/** Kill once the sink has seen this many requests (of RUNS × STEPS) and the victim holds runs mid-step. */
const KILL_AFTER = 100;
const VICTIM_HOLDS_AT_LEAST = 5;
// Steps call the sink on 127.0.0.1, which the egress policy refuses unless allowed.
const ENV = { CAIRN_LEASE_MS: String(LEASE_MS), CAIRN_HTTP_ALLOW: '127.0.0.1' };

/** start → s1 → … → s5 → end; every step POSTs to the sink, which counts its Idempotency-Key. */
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

describe('worker ids of cairn worker processes on PostgreSQL', () => {
  it('a second worker with the explicit id of a live one refuses to start, naming the id', async () => {
    database = await createTestDatabase('postgresql');
    cluster = createCluster(database.url, ENV);
    const first = await cluster.worker('twin');
    const refusal = await cluster.worker('twin').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(ExitedEarly);
    const { code, output } = refusal as ExitedEarly;
    expect(code).toBe(2);
    expect(output).toMatch(/^cairn: worker id "twin" is held by another live process: two processes may not share a CAIRN_WORKER_ID/);
    expect(output).not.toMatch(/\n\s+at /);
    // The first goes on; once it is dead, the id is free for its successor at once.
    expect(first.process.exitCode).toBeNull();
    await cluster.kill(first);
    const successor = await cluster.worker('twin');
    expect(successor.name).toBe('twin');
    await cluster.stopAll();
    cluster = undefined;
    await database.drop();
    database = undefined;
  }, 60_000);

  it(`two workers with default ids on one host share ${RUNS} runs; after a SIGKILL of one, all complete and none of the other's was interrupted`, async () => {
    database = await createTestDatabase('postgresql');
    sink = await startSink({ delayMs: SINK_DELAY_MS });
    cluster = createCluster(database.url, ENV);
    const [api, ...workers] = await Promise.all([cluster.api(), cluster.worker(undefined), cluster.worker(undefined)]);
    // Each picked its own id: the host name, its process id and a random part.
    const host = hostname().replace(/[^\w.-]+/g, '-').slice(0, 60);
    for (const worker of workers) expect(worker.name).toMatch(new RegExp(`^${host.replace(/\./g, '\\.')}-${worker.process.pid}-[0-9a-f]{6}$`));
    expect(workers[0].name).not.toBe(workers[1].name);

    const rest = restClient(api.url);
    db = await connectReader(database.url);
    const reader = db;
    await publish(rest, SLUG, graph(sink.url));
    const started = await Promise.all(
      Array.from({ length: RUNS }, (_, i) => rest('POST', `/api/v1/workflows/${SLUG}/instances`, { body: { input: { i } } })),
    );
    expect(started.map((response) => response.status)).toEqual(Array(RUNS).fill(201));
    const ids: string[] = started.map((response) => response.body.id);

    // Who holds which unfinished run mid-step; the kill waits for the victim to hold several.
    const holding = async () => {
      const { rows } = await reader.query<{ lease_owner: string; n: number }>(
        `SELECT lease_owner, COUNT(*) AS n FROM instances WHERE lease_owner IS NOT NULL AND finished_at IS NULL AND status = 'running' GROUP BY lease_owner`,
      );
      return new Map(rows.map((row) => [row.lease_owner, row.n]));
    };
    let victim: CairnProcess | undefined;
    await waitFor(
      async () => {
        if (sink!.received >= RUNS * STEPS - 50) throw new Error(`the runs were nearly done (${sink!.received} requests) before a worker held enough of them to kill`);
        if (sink!.received < KILL_AFTER) return false;
        const held = await holding();
        victim = workers.find((worker) => (held.get(worker.name) ?? 0) >= VICTIM_HOLDS_AT_LEAST);
        return victim !== undefined;
      },
      { what: `${KILL_AFTER} side effects and a worker holding ${VICTIM_HOLDS_AT_LEAST} runs mid-step`, timeoutMs: 30_000, everyMs: 10 },
    );
    await cluster.kill(victim!);
    const survivor = workers.find((worker) => worker !== victim)!;
    // Read before any lease of the dead worker can have expired: who held what at the kill.
    const { rows: atKill } = await reader.query<{ id: string; lease_owner: string | null; status: string; lease_expires_at: number | null }>(
      `SELECT id, lease_owner, status, (extract(epoch from lease_expires_at) * 1000)::float8 AS lease_expires_at FROM instances WHERE finished_at IS NULL`,
    );
    const orphaned = atKill.filter((run) => run.lease_owner === victim!.name);
    const survivors = new Set(atKill.filter((run) => run.lease_owner === survivor.name).map((run) => run.id));
    expect(Date.now()).toBeLessThan(Math.min(...orphaned.map((run) => run.lease_expires_at!)));
    expect(orphaned.filter((run) => run.status === 'running').length).toBeGreaterThanOrEqual(VICTIM_HOLDS_AT_LEAST);
    expect(survivors.size, 'the living worker held no runs at the kill: the test proves nothing').toBeGreaterThan(0);
    const interruptedBeforeKill = await reader.query(`SELECT 1 FROM history_events WHERE type = 'stepAttemptFailed' LIMIT 1`);
    expect(interruptedBeforeKill.rows).toEqual([]);

    await waitFor(
      async () => {
        const { rows } = await reader.query<{ id: string; status: string }>(`SELECT id, status FROM instances WHERE status IN ('failed', 'cancelled') LIMIT 1`);
        if (rows[0]) throw new Error(`run ${rows[0].id} ${rows[0].status}`);
        return (await reader.query<{ n: number }>(`SELECT COUNT(*) AS n FROM instances WHERE status = 'completed'`)).rows[0].n === RUNS;
      },
      { what: `all ${RUNS} runs completed`, timeoutMs: 60_000, everyMs: 25 },
    );

    // Every step of every run completed once.
    const { rows: perRun } = await reader.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM history_events WHERE type = 'nodeCompleted' AND node_id = ANY($1::text[]) GROUP BY instance_id`,
      [STEP_IDS],
    );
    expect(perRun.map((row) => row.n)).toEqual(Array(RUNS).fill(STEPS));

    // Failed attempts (all of them interruptions: the sink always answers 200) only in runs the dead
    // worker held, each after that run's lease expired; the rest ran each step in one attempt.
    const orphanedIds = new Map(orphaned.map((run) => [run.id, run.lease_expires_at!]));
    const { rows: failed } = await reader.query<{ instance_id: string; code: string; at: number }>(
      `SELECT instance_id, data::jsonb -> 'error' ->> 'code' AS code, (extract(epoch from at) * 1000)::float8 AS at
       FROM history_events WHERE type = 'stepAttemptFailed'`,
    );
    expect(failed.filter((row) => row.code !== 'INTERRUPTED')).toEqual([]);
    expect(failed.filter((row) => !orphanedIds.has(row.instance_id))).toEqual([]);
    expect(failed.filter((row) => !(row.at >= orphanedIds.get(row.instance_id)!))).toEqual([]);
    expect(failed.length).toBeGreaterThan(0);
    const { rows: attempts } = await reader.query<{ instance_id: string; n: number }>(
      `SELECT instance_id, COUNT(*) AS n FROM history_events WHERE type = 'stepAttemptStarted' GROUP BY instance_id`,
    );
    const extraAttempts = attempts.filter((row) => row.n !== STEPS).map((row) => row.instance_id);
    expect(extraAttempts.filter((id) => !orphanedIds.has(id))).toEqual([]);
    expect(extraAttempts.filter((id) => survivors.has(id))).toEqual([]);

    // At the sink: every side effect arrived, and only the dead worker's runs sent one twice.
    const keys = ids.flatMap((id) => STEP_IDS.map((step) => `${id}:${step}:1`));
    expect(keys.filter((key) => !sink!.byKey.has(key))).toEqual([]);
    const sentTwice = [...sink.byKey].filter(([, n]) => n > 1).map(([key]) => key.split(':')[0]);
    expect(sentTwice.filter((id) => !orphanedIds.has(id))).toEqual([]);

    console.log(
      `worker-ids: killed ${victim!.name} at ${KILL_AFTER}+ side effects holding ${orphaned.length} runs; ${survivor.name} held ${survivors.size}. ` +
        `Interrupted attempts: ${failed.length}, all in the dead worker's runs; side effects sent twice: ${sentTwice.length}.`,
    );
  }, 150_000);
});
