// Schedule triggers on a real server with the FakeClock (both databases): a `*/5 * * * *` schedule
// across one hour fires exactly 12 runs; a restart fires no tick twice, and a tick whose run was
// started by a worker that died before moving on is not started again; after two hours down no
// flood of missed runs (skip), or each missed tick once (catch-up); runs follow the active version;
// refusals name the field (bad cron, time zone, every second, policy, input).
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { silentLogger } from '../logger.js';
import { createServer, type CairnServer } from '../main.js';
import { buildGraph } from '../testing/graphs.js';
import { ADMIN_TOKEN } from '../testing/server-harness.js';
import { createTestDatabase, testDialect, type TestDatabase } from '../testing/test-database.js';
import type { AppRouter } from './trpc/router.js';

const KEY = Buffer.alloc(32, 5).toString('base64');
/** Monday 5 January 2026, 09:02:30 UTC: between two ticks of every five minutes. */
const T0 = Date.UTC(2026, 0, 5, 9, 2, 30);
const graph = (output: string) => buildGraph([['start', 'start'], ['end', 'end', { output }]], ['start.next -> end']);

let database: TestDatabase | undefined;
let server: CairnServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await database?.drop();
  database = undefined;
});

async function open(clock: FakeClock): Promise<CairnServer> {
  server = await createServer({ databaseUrl: database!.url, host: '127.0.0.1', port: 0, clock, logger: silentLogger, sync: 'normal', adminToken: ADMIN_TOKEN, seed: false, secretKey: KEY });
  return server;
}

const trpcOf = (cairn: CairnServer) => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${cairn.url}/trpc`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })] });

/** Move the clock a minute at a time (a worker wakes at each tick as it would in real time), draining each. */
async function live(cairn: CairnServer, clock: FakeClock, minutes: number): Promise<void> {
  for (let i = 0; i < minutes; i++) {
    clock.advance('1m');
    await cairn.worker!.drain();
  }
}

async function runsOf(cairn: CairnServer, slug = 'report') {
  const rows = await cairn.prisma.instance.findMany({ where: { workflow: { slug } }, orderBy: { id: 'asc' }, select: { idempotencyKey: true, version: true, status: true } });
  return rows;
}
const tickOf = (key: string | null) => key?.split(':').slice(2).join(':');

async function setUp(clock: FakeClock, schedule: Record<string, unknown>) {
  database = await createTestDatabase();
  const cairn = await open(clock);
  const trpc = trpcOf(cairn);
  await trpc.workflows.saveDraft.mutate({ slug: 'report', graph: graph('v1') });
  await trpc.workflows.publish.mutate({ slug: 'report' });
  const created = await trpc.triggers.createSchedule.mutate({ workflow: 'report', schedule });
  return { cairn, trpc, created };
}

describe(`schedule triggers (${testDialect()})`, () => {
  it('*/5 * * * * across one hour fires exactly 12 runs, one per tick, shown ahead in the editor', async () => {
    const clock = new FakeClock(T0);
    const { cairn, trpc, created } = await setUp(clock, { cron: '*/5 * * * *', timezone: 'Europe/Berlin' });
    expect(created).toMatchObject({ kind: 'schedule', cron: '*/5 * * * *', timezone: 'Europe/Berlin', missed: 'skip', enabled: true });
    expect(created.nextFireTimes).toEqual(['09:05', '09:10', '09:15', '09:20', '09:25'].map((hm) => `2026-01-05T${hm}:00.000Z`));
    await live(cairn, clock, 60);
    const runs = await runsOf(cairn);
    expect(runs).toHaveLength(12);
    expect(runs.map((run) => tickOf(run.idempotencyKey))).toEqual(Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 0, 5, 9, 5 + 5 * i)).toISOString()));
    expect(runs.every((run) => run.status === 'completed' && run.version === 1)).toBe(true);
    const [listed] = await trpc.triggers.list.query({ workflow: 'report' });
    expect(listed).toMatchObject({ lastFiredAt: '2026-01-05T10:00:00.000Z', lastError: null, nextFireTimes: expect.arrayContaining(['2026-01-05T10:05:00.000Z']) });
    expect((await trpc.triggers.overview.query()).report).toEqual([expect.objectContaining({ kind: 'schedule', cron: '*/5 * * * *' })]);
  });

  it('a restart fires no tick twice, and a tick whose run exists is not started again', async () => {
    const clock = new FakeClock(T0);
    const { cairn } = await setUp(clock, { cron: '*/5 * * * *', timezone: 'UTC' });
    await live(cairn, clock, 3); // 09:05 fired
    await cairn.close();
    server = undefined;
    const again = await open(clock);
    await again.worker!.drain();
    expect(await runsOf(again)).toHaveLength(1);
    // A worker that started 09:05's run and died before moving the tick on leaves it due again:
    // the next claimant finds that run by its key and starts nothing.
    await again.prisma.trigger.updateMany({ data: { nextFireAt: new Date(Date.UTC(2026, 0, 5, 9, 5)) } });
    again.worker!.poke();
    await again.worker!.drain();
    expect(await runsOf(again)).toHaveLength(1);
    await live(again, clock, 5); // 09:10
    expect((await runsOf(again)).map((run) => tickOf(run.idempotencyKey))).toEqual(['2026-01-05T09:05:00.000Z', '2026-01-05T09:10:00.000Z']);
  });

  it('after two hours down, the missed ticks are skipped (no flood); the next tick fires', async () => {
    const clock = new FakeClock(T0);
    const { cairn } = await setUp(clock, { cron: '*/5 * * * *', timezone: 'UTC' });
    await live(cairn, clock, 3); // 09:05
    await cairn.close();
    server = undefined;
    // 11:07:30: 09:10 … 11:05 were missed (11:05 by more than the minute a late tick is allowed).
    clock.advance('2h');
    clock.advance('2m');
    const again = await open(clock);
    await again.worker!.drain();
    expect(await runsOf(again)).toHaveLength(1);
    const [listed] = await trpcOf(again).triggers.list.query({ workflow: 'report' });
    expect(listed.lastError).toBe('ticks from 2026-01-05T09:10:00.000Z were missed while no worker ran, and skipped');
    expect(listed.nextFireTimes?.[0]).toBe('2026-01-05T11:10:00.000Z');
    await live(again, clock, 5);
    expect((await runsOf(again)).map((run) => tickOf(run.idempotencyKey))).toEqual(['2026-01-05T09:05:00.000Z', '2026-01-05T11:10:00.000Z']);
  });

  it('with catch-up, each tick missed while down fires once', async () => {
    const clock = new FakeClock(T0);
    const { cairn } = await setUp(clock, { cron: '*/5 * * * *', timezone: 'UTC', missed: 'catch-up' });
    await live(cairn, clock, 3); // 09:05
    await cairn.close();
    server = undefined;
    clock.advance('2h'); // 11:05:30: 09:10 … 11:05 were missed
    const again = await open(clock);
    await again.worker!.drain();
    const ticks = (await runsOf(again)).map((run) => tickOf(run.idempotencyKey));
    expect(ticks).toHaveLength(1 + 24);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks.at(-1)).toBe('2026-01-05T11:05:00.000Z');
  });

  it('runs start on the active version; with none published, the tick records why and moves on', async () => {
    const clock = new FakeClock(T0);
    database = await createTestDatabase();
    const cairn = await open(clock);
    const trpc = trpcOf(cairn);
    await trpc.workflows.saveDraft.mutate({ slug: 'report', graph: graph('v1') });
    await trpc.triggers.createSchedule.mutate({ workflow: 'report', schedule: { cron: '*/5 * * * *', timezone: 'UTC' } });
    await live(cairn, clock, 3);
    expect(await runsOf(cairn)).toHaveLength(0);
    const [listed] = await trpc.triggers.list.query({ workflow: 'report' });
    expect(listed.lastError).toMatch(/the run of 2026-01-05T09:05:00.000Z was not started: workflow "report" has no published version/);
    expect(listed.nextFireTimes?.[0]).toBe('2026-01-05T09:10:00.000Z');
    await trpc.workflows.publish.mutate({ slug: 'report' });
    await live(cairn, clock, 5);
    await trpc.workflows.saveDraft.mutate({ slug: 'report', graph: graph('v2') });
    await trpc.workflows.publish.mutate({ slug: 'report' });
    await live(cairn, clock, 5);
    expect((await runsOf(cairn)).map((run) => run.version)).toEqual([1, 2]);
  });

  it('refuses what would not fire as meant, naming the field; nothing is stored', async () => {
    const clock = new FakeClock(T0);
    const { trpc, cairn } = await setUp(clock, { cron: '0 9 * * 1-5', timezone: 'America/New_York' });
    const refusals: [Record<string, unknown>, string, RegExp][] = [
      [{ cron: '* * * * * *', timezone: 'UTC' }, 'cron', /fires 1 second apart; schedules fire at most once every 1 minute/],
      [{ cron: '*/30 * * * * *', timezone: 'UTC' }, 'cron', /30 seconds apart/],
      [{ cron: 'every monday', timezone: 'UTC' }, 'cron', /is not a cron expression/],
      [{ cron: '61 * * * *', timezone: 'UTC' }, 'cron', /Invalid value for minute: 61/],
      [{ cron: '0 0 30 2 *', timezone: 'UTC' }, 'cron', /never fires/],
      [{ cron: '', timezone: 'UTC' }, 'cron', /give a cron expression/],
      [{ cron: '*/5 * * * *', timezone: 'Mars/Olympus_Mons' }, 'timezone', /not an IANA time zone/],
      [{ cron: '*/5 * * * *', timezone: 'UTC', missed: 'sometimes' }, 'missed', /"skip" or "catch-up"/],
      [{ cron: '*/5 * * * *', timezone: 'UTC', input: [1] }, 'input', /JSON object/],
      [{ cron: 5, timezone: 'UTC' }, 'cron', /must be text/],
      [{ cron: 'x'.repeat(500), timezone: 'UTC' }, 'cron', /at most 200/],
    ];
    for (const [schedule, field, message] of refusals) {
      const error = await trpc.triggers.createSchedule.mutate({ workflow: 'report', schedule }).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(schedule)).toBeInstanceOf(TRPCClientError);
      const data = (error as TRPCClientError<AppRouter>).data as { code: string; cairn?: { code: string; details: { field: string; message: string }[] } };
      expect(data.code, JSON.stringify(schedule)).toBe('UNPROCESSABLE_CONTENT');
      expect(data.cairn?.details[0], JSON.stringify(schedule)).toMatchObject({ field, message: expect.stringMatching(message) });
    }
    const unknown = await trpc.triggers.createSchedule.mutate({ workflow: 'nope', schedule: { cron: '*/5 * * * *', timezone: 'UTC' } }).catch((caught: unknown) => caught);
    expect((unknown as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
    expect(await cairn.prisma.trigger.count()).toBe(1);
    // The editor's live check, as a schedule is typed.
    expect(await trpc.triggers.preview.query({ cron: '0 9 * * 1-5', timezone: 'America/New_York' })).toEqual({ problems: [], nextFireTimes: ['2026-01-05T14:00:00.000Z', '2026-01-06T14:00:00.000Z', '2026-01-07T14:00:00.000Z', '2026-01-08T14:00:00.000Z', '2026-01-09T14:00:00.000Z'] });
    expect((await trpc.triggers.preview.query({ cron: '* * * * * *', timezone: 'UTC' })).problems).toEqual([expect.objectContaining({ field: 'cron' })]);
  });
});
