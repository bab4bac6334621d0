// Crash test over REST (issue 4): `cairn start` as a child process with 200 runs in flight, killed
// with SIGKILL and restarted on the same database (SQLite or PostgreSQL, as the test run is). Every run completes, re-sent start requests with the
// same Idempotency-Keys return the same runs, and no step completion is recorded twice.
//
// The kill comes once about half of the steps are done, whatever is in flight: runs killed mid-step
// hold a lease, which the restarted server takes over at once on SQLite (it holds the file's one
// engine lock, so every lease left belongs to a dead process) and after CAIRN_LEASE_MS (1 s here)
// on PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { openDatabaseReader } from '../testing/database-reader.js';
import { scratchRoot, until } from '../testing/harness.js';
import { startCairnProcess, type CairnProcess } from '../testing/cairn-process.js';

const ADMIN_TOKEN = 'crash-rest-admin-token-0123456789';
const RUNS = 200;
const STEPS = 5;
const SLUG = 'crash-rest';
const STEP_IDS = Array.from({ length: STEPS }, (_, i) => `s${i + 1}`);
/** Runs finish in about (STEPS − 1) × WAIT plus a little. */
const WAIT = '1s';
let dir: string | undefined;
let database: TestDatabase | undefined;
let cairn: CairnProcess | undefined;
afterEach(async () => {
  await cairn?.stop(); // before dropping the database it may still hold
  cairn = undefined;
  await database?.drop();
  database = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** start → s1 → w1 → s2 → … → w4 → s5 → end; each step is a built-in transform adding 1 to the last value. */
function graph() {
  const steps = STEP_IDS;
  const nodes: { id: string; kind: string; config: Record<string, unknown> }[] = [{ id: 'start', kind: 'start', config: {} }];
  const edges: { id: string; source: string; sourcePort: string; target: string }[] = [];
  let previous = { id: 'start', port: 'next' };
  const link = (target: string) => {
    edges.push({ id: `e${edges.length + 1}`, source: previous.id, sourcePort: previous.port, target });
  };
  steps.forEach((id, index) => {
    if (index > 0) {
      const wait = `w${index}`;
      nodes.push({ id: wait, kind: 'wait', config: { duration: WAIT } });
      link(wait);
      previous = { id: wait, port: 'next' };
    }
    const data = index === 0 ? { n: '{{ input.n }}' } : { n: `{{ nodes.${steps[index - 1]} }}` };
    nodes.push({ id, kind: 'step', config: { action: 'transform', input: { expression: 'n + 1', data } } });
    link(id);
    previous = { id, port: 'ok' };
  });
  nodes.push({ id: 'end', kind: 'end', config: { output: `{{ nodes.${steps.at(-1)} }}` } });
  link('end');
  return { format: 'cairn.graph/v1', nodes, edges };
}

/** `cairn start` on the database, full sync, short leases (see the top of the file). */
async function startServer(databaseUrl: string): Promise<CairnProcess> {
  cairn = await startCairnProcess({ databaseUrl, adminToken: ADMIN_TOKEN, cwd: dir!, env: { CAIRN_SQLITE_SYNC: 'full', CAIRN_LEASE_MS: '1000' } });
  return cairn;
}

/** The 200 start requests, each with its own key and input; the same keys and inputs every time. */
function startAll(server: CairnProcess) {
  return Promise.all(
    Array.from({ length: RUNS }, (_, i) =>
      server.call('POST', `/api/v1/workflows/${SLUG}/instances`, { body: { input: { n: i } }, headers: { 'idempotency-key': `crash-rest-${i}` } }),
    ),
  );
}

describe('crash and restart over REST', () => {
  it(`the server with ${RUNS} runs in flight is killed with SIGKILL and restarted: all complete, none twice`, async () => {
    dir = mkdtempSync(path.join(scratchRoot(), 'cairn-crash-rest-'));
    database = await createTestDatabase();

    const first = await startServer(database.url);
    expect((await first.call('PUT', `/api/v1/workflows/${SLUG}`, { body: { name: 'Crash over REST', graph: graph() } })).status).toBe(201);
    const published = await first.call('POST', `/api/v1/workflows/${SLUG}/publish`, { body: {} });
    expect(published).toMatchObject({ status: 201, body: { version: 1 } });

    const started = await startAll(first);
    expect(started.map((response) => response.status)).toEqual(Array(RUNS).fill(201));
    const ids = started.map((response) => response.body.id as string);
    expect(new Set(ids).size).toBe(RUNS);

    // Read-only, from this process, while the server writes.
    const db = await openDatabaseReader(database.url);
    try {
      const isStep = `node_id IN (${STEP_IDS.map((id) => `'${id}'`).join(', ')})`;
      const stepsDone = () => db.count(`SELECT COUNT(*) FROM history_events WHERE type = 'nodeCompleted' AND ${isStep}`);
      const leased = () => db.count('SELECT COUNT(*) FROM instances WHERE lease_owner IS NOT NULL');
      const unfinished = () => db.count(`SELECT COUNT(*) FROM instances WHERE status NOT IN ('completed', 'failed', 'cancelled')`);
      const statuses = () => db.rows('SELECT status, COUNT(*) AS n FROM instances GROUP BY status ORDER BY status');

      // About half the steps done (the runs take (STEPS − 1) × WAIT, seconds, to finish).
      const half = (RUNS * STEPS) / 2;
      await until(
        async () => {
          const progress = await stepsDone();
          if (progress >= RUNS * STEPS) throw new Error('every run finished before the kill: the waits are too short for the test');
          return progress >= half;
        },
        { timeoutMs: 30_000, what: 'half of the steps done' },
      );
      first.process.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');

      const atKill = { steps: await stepsDone(), unfinished: await unfinished(), leased: await leased() };
      expect(atKill.unfinished).toBeGreaterThan(0);
      expect(atKill.steps).toBeLessThan(RUNS * STEPS);

      const second = await startServer(database.url);
      const recoverBegan = Date.now();
      // Same keys, same inputs: the same runs, not new ones.
      const again = await startAll(second);
      expect(again.map((response) => response.status)).toEqual(Array(RUNS).fill(200));
      expect(again.map((response) => response.body.id)).toEqual(ids);

      await until(async () => (await unfinished()) === 0, { timeoutMs: 90_000, what: 'every run finished after the restart' });
      const recoverSeconds = (Date.now() - recoverBegan) / 1000;

      expect(await statuses()).toEqual([{ status: 'completed', n: RUNS }]);
      const twice = await db.rows(
        `SELECT instance_id, node_id, visit, COUNT(*) AS n FROM history_events WHERE type = 'nodeCompleted' GROUP BY instance_id, node_id, visit HAVING COUNT(*) > 1`,
      );
      expect(twice).toEqual([]);
      const perRun = await db.rows<{ n: number }>(`SELECT COUNT(*) AS n FROM history_events WHERE type = 'nodeCompleted' AND ${isStep} GROUP BY instance_id`);
      expect(perRun.map((row) => row.n)).toEqual(Array(RUNS).fill(STEPS));

      // Over REST: each run completed with its own input carried through the five steps.
      const views = await Promise.all(ids.map((id) => second.call('GET', `/api/v1/instances/${id}`)));
      expect(views.map((view) => [view.status, view.body.status, view.body.output])).toEqual(ids.map((_, i) => [200, 'completed', i + STEPS]));
      const history = await second.call('GET', `/api/v1/instances/${ids[0]}/history`);
      expect(history.status).toBe(200);
      const completedNodes = (history.body as { type: string; nodeId?: string }[]).filter((event) => event.type === 'nodeCompleted').map((event) => event.nodeId);
      expect(completedNodes).toEqual(['start', 's1', 'w1', 's2', 'w2', 's3', 'w3', 's4', 'w4', 's5', 'end']);

      console.log(
        `crash-rest: killed with ${atKill.steps} of ${RUNS * STEPS} steps done and ${atKill.unfinished} runs unfinished (${atKill.leased} leased); ` +
          `all ${RUNS} completed ${recoverSeconds.toFixed(1)} s after the restart`,
      );

      second.process.kill('SIGTERM');
      expect(await second.exited).toEqual({ code: 0, signal: null });
    } finally {
      await db.close();
    }
  }, 120_000);
});
