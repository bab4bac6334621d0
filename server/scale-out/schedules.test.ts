// Scale-out (issue 16): three `cairn worker` processes on one PostgreSQL database race for the ticks
// of a schedule that fires every second (the minimum interval lowered for the test; a real one is a
// minute), and one of them is SIGKILLed — holding a tick's claim when the test catches one. Every
// tick from the first to the last makes exactly one run: none twice (its idempotency key), none
// lost (the dead worker's claim lapses and another fires the tick).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { systemClock } from '../engine/clock.js';
import { silentLogger } from '../logger.js';
import { createServer, type CairnServer } from '../main.js';
import { buildGraph } from '../testing/graphs.js';
import { connectReader, createCluster, exclusiveMachine, waitFor, type CairnProcess, type Cluster } from '../testing/cluster.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

const WORKERS = ['tick-a', 'tick-b', 'tick-c'];
const LEASE_MS = 2_000;
/** Ticks to see before the kill, and after it. */
const BEFORE_KILL = 6;
const AFTER_KILL = 8;

let release: (() => Promise<void>) | undefined;
let database: TestDatabase | undefined;
let cluster: Cluster | undefined;
let api: CairnServer | undefined;
let db: pg.Client | undefined;
beforeAll(async () => {
  release = await exclusiveMachine();
}, 180_000);
afterAll(async () => {
  await cluster?.stopAll();
  await api?.close();
  await db?.end();
  await database?.drop();
  await release?.();
});

describe('a schedule on three competing workers', () => {
  it('fires exactly one run per tick, through a SIGKILL of one worker', async () => {
    database = await createTestDatabase('postgresql');
    cluster = createCluster(database.url, { CAIRN_LEASE_MS: String(LEASE_MS) });
    const workers: CairnProcess[] = await Promise.all(WORKERS.map((id) => cluster!.worker(id)));
    // The API in this process (no worker), where the schedule is made: a minimum interval of a second.
    api = await createServer({ databaseUrl: database.url, host: '127.0.0.1', port: 0, clock: systemClock, logger: silentLogger, worker: false, seed: false, scheduleMinIntervalMs: 1_000 });
    await api.services.workflows.saveDraft('ticks', { name: 'ticks', graph: buildGraph([['start', 'start'], ['end', 'end']], ['start.next -> end']) });
    await api.services.workflows.publish('ticks');
    const schedule = await api.services.triggers!.createSchedule('ticks', { cron: '* * * * * *', timezone: 'UTC' }, 'test');
    db = await connectReader(database.url);
    const reader = db;
    const runs = async () => (await reader.query<{ n: number }>('SELECT COUNT(*) AS n FROM instances')).rows[0].n;

    await waitFor(async () => (await runs()) >= BEFORE_KILL, { what: `${BEFORE_KILL} ticks' runs`, timeoutMs: 30_000, everyMs: 50 });
    // The victim: a worker caught holding a tick's claim if the test sees one within a few seconds,
    // else the first. Either way the others must carry on without a gap.
    let claimant: string | undefined;
    const deadline = Date.now() + 5_000;
    while (!claimant && Date.now() < deadline) {
      claimant = (await reader.query<{ claim_owner: string | null }>('SELECT claim_owner FROM triggers')).rows[0]?.claim_owner ?? undefined;
    }
    const victim = workers.find((worker) => worker.name === claimant) ?? workers[0];
    await cluster.kill(victim);
    expect((await victim.exited).signal).toBe('SIGKILL');
    const atKill = await runs();
    await waitFor(async () => (await runs()) >= atKill + AFTER_KILL, { what: `${AFTER_KILL} more ticks' runs after the kill`, timeoutMs: 30_000, everyMs: 50 });
    await api.services.triggers!.setEnabled('ticks', schedule.id, false);
    // A firing under way when the schedule was turned off finishes; then nothing more starts.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const settled = await runs();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await runs()).toBe(settled);

    const { rows } = await reader.query<{ idempotency_key: string; status: string }>('SELECT idempotency_key, status FROM instances ORDER BY idempotency_key');
    const ticks = rows.map((row) => Date.parse(row.idempotency_key.split(':').slice(2).join(':')));
    expect(new Set(ticks).size, 'a tick made two runs').toBe(ticks.length);
    const first = Math.min(...ticks);
    const last = Math.max(...ticks);
    const missing = Array.from({ length: (last - first) / 1000 + 1 }, (_, i) => first + i * 1000).filter((tick) => !ticks.includes(tick));
    expect(missing.map((tick) => new Date(tick).toISOString()), 'ticks without a run').toEqual([]);
    expect(ticks.length).toBeGreaterThanOrEqual(BEFORE_KILL + AFTER_KILL);
    await waitFor(async () => (await reader.query<{ n: number }>(`SELECT COUNT(*) AS n FROM instances WHERE status <> 'completed'`)).rows[0].n === 0, { what: 'every run completed', timeoutMs: 15_000 });
    console.log(`schedule scale-out: ${ticks.length} ticks, one run each; killed ${victim.name}${claimant ? ' while it held a claim' : ''}`);
  }, 120_000);
});
