// `npx tsx bench/inbox.ts [tasks] [--decisions]`: the inbox's first page with 50,000 pending tasks (issue 19: it must
// open in under a second), paged on the server. 50,000 runs park on an approval assigned to the role
// manager (through the engine, synchronous=NORMAL to seed quickly); then `cairn start`'s server opens
// the file (synchronous=FULL) and a manager signed in by cookie asks over tRPC what the inbox page
// asks when it opens — the tab counts and the first 50 rows of My roles, in one batch — 1 untimed and
// 15 timed times; also the last page, and once the whole list as the inbox fetched it before
// (approvals.list). Figures: medians, each also as the number of the floor's insert transactions (measured
// in the same run) that fit in it, which moves less between machines than milliseconds.
// With --decisions, also decisions/s with a quorum of 2 of 3 beside single decisions (bench/approvals.ts,
// 10,000 tasks each, in fresh processes), as ratios against the same floor. Writes bench-results/inbox.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '../server/api/trpc/router.js';
import { FakeClock } from '../server/engine/clock.js';
import { silentLogger } from '../server/logger.js';
import { createServer } from '../server/main.js';
import { createHarness } from '../server/testing/harness.js';
import { createTestDatabase } from '../server/testing/test-database.js';
import { measureFloor } from './floor.js';
import { median } from './stats.js';
import { approvalGraph } from './workloads.js';
import { measureApprovalsIsolated, type ApprovalsResult } from './approvals.js';

/** Navigation to the inbox's first page must stay under a second (issue 19); this is the server's share. */
export const INBOX_TARGET_MS = 1_000;
const ROUNDS = 15;
const CHUNK = 2_000;
const log = (message: string) => process.stderr.write(`  … ${message}\n`);

export interface InboxResult {
  tasks: number;
  floorOpsPerSec: number;
  seedSeconds: number;
  /** The tab counts and the first page of My roles, one tRPC batch: each round, and the median. */
  firstPageMs: number[];
  firstPageMedianMs: number;
  /** Its two parts asked alone: the counts, and the page (rows and total). */
  countsMedianMs: number;
  pageMedianMs: number;
  lastPageMedianMs: number;
  /** The whole pending list in one answer, as the inbox asked before it paged (one round). */
  wholeListMs: number;
  wholeListBytes: number;
}

async function seed(url: string, tasks: number): Promise<number> {
  const began = performance.now();
  const harness = await createHarness({ databaseUrl: url, sync: 'normal', clock: new FakeClock() });
  try {
    const { versionId } = await harness.publish(approvalGraph('single'));
    for (let started = 0; started < tasks; started += CHUNK) {
      await Promise.all(Array.from({ length: Math.min(CHUNK, tasks - started) }, (_, i) => harness.engine.startRun({ versionId, input: { order: `PO-${started + i + 1}` } })));
      await harness.worker.drain();
      if ((started / CHUNK) % 5 === 4) log(`${(started + CHUNK).toLocaleString('en')} runs parked on their approval`);
    }
  } finally {
    await harness.close();
  }
  return (performance.now() - began) / 1000;
}

export async function measureInbox(tasks = 50_000): Promise<InboxResult> {
  const floor = measureFloor('full');
  const database = await createTestDatabase('sqlite');
  try {
    log(`seeding ${tasks.toLocaleString('en')} pending approval tasks`);
    const seedSeconds = await seed(database.url, tasks);
    const server = await createServer({ databaseUrl: database.url, host: '127.0.0.1', port: 0, clock: new FakeClock(), logger: silentLogger, sync: 'full', seed: false, webRoot: '/nonexistent' });
    try {
      const password = 'a long enough secret';
      await server.services.accounts.createUser({ username: 'mara', password, roles: ['approver', 'manager'] });
      const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'mara', password }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/trpc`, headers: { cookie } })] });
      const timed = async (ask: () => Promise<unknown>) => {
        const began = performance.now();
        await ask();
        return performance.now() - began;
      };
      const firstPage = async () => {
        const [counts, page] = await Promise.all([client.inbox.counts.query(), client.inbox.page.query({ tab: 'roles', limit: 50 })]);
        if (counts.roles !== tasks || page.tasks.length !== 50 || page.total !== tasks) throw new Error(`inbox benchmark: ${counts.roles} counted, ${page.tasks.length} of ${page.total} listed; expected ${tasks}`);
      };
      const lastPage = () => client.inbox.page.query({ tab: 'roles', limit: 50, offset: tasks - 50 });
      await firstPage();
      await lastPage();
      const firstPageMs: number[] = [];
      const lastPageMs: number[] = [];
      const countsMs: number[] = [];
      const pageMs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        firstPageMs.push(await timed(firstPage));
        lastPageMs.push(await timed(lastPage));
        countsMs.push(await timed(() => client.inbox.counts.query()));
        pageMs.push(await timed(() => client.inbox.page.query({ tab: 'roles', limit: 50 })));
      }
      log('the whole pending list, once, as the inbox asked before it paged');
      const wholeBegan = performance.now();
      const whole = await fetch(`${server.url}/api/v1/approvals?status=pending`, { headers: { cookie } });
      const body = await whole.text();
      const wholeListMs = performance.now() - wholeBegan;
      return { tasks, floorOpsPerSec: floor.opsPerSec, seedSeconds, firstPageMs, firstPageMedianMs: median(firstPageMs), countsMedianMs: median(countsMs), pageMedianMs: median(pageMs), lastPageMedianMs: median(lastPageMs), wholeListMs, wholeListBytes: Buffer.byteLength(body) };
    } finally {
      await server.close();
    }
  } finally {
    await database.drop();
  }
}

export function formatInbox(result: InboxResult): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  // A latency against the floor: how many of the floor's insert transactions fit in it.
  const vsFloor = (valueMs: number) => `${Math.round((valueMs / 1000) * result.floorOpsPerSec).toLocaleString('en')} ins.`;
  const verdict = result.firstPageMedianMs < INBOX_TARGET_MS ? 'PASS' : 'MISS';
  const rows = [
    [`inbox first page: counts + 50 of ${result.tasks.toLocaleString('en')} (tRPC, median of ${ROUNDS})`, ms(result.firstPageMedianMs), `< ${INBOX_TARGET_MS} ms`, verdict, vsFloor(result.firstPageMedianMs)],
    ['  the tab counts alone (inbox.counts)', ms(result.countsMedianMs), '', '', vsFloor(result.countsMedianMs)],
    ['  the first page alone (inbox.page: 50 rows and the total)', ms(result.pageMedianMs), '', '', vsFloor(result.pageMedianMs)],
    [`  last page (offset ${(result.tasks - 50).toLocaleString('en')})`, ms(result.lastPageMedianMs), '', '', vsFloor(result.lastPageMedianMs)],
    [`  before paging: the whole list (approvals.list, ${(result.wholeListBytes / 1024 / 1024).toFixed(1)} MB, once)`, ms(result.wholeListMs), '', '', vsFloor(result.wholeListMs)],
    ['floor: autocommit INSERTs/s (synchronous=FULL)', `${Math.round(result.floorOpsPerSec).toLocaleString('en')}/s`, '', '', ''],
  ];
  const width = Math.max(...rows.map((row) => row[0].length));
  const lines = rows.map(([figure, value, target, judged, ratio]) => `${figure.padEnd(width)}  ${value.padStart(10)}  ${target.padEnd(10)}  ${judged.padEnd(4)}  ${ratio.padStart(8)}`);
  const header = `${'figure'.padEnd(width)}  ${'value'.padStart(10)}  ${'target'.padEnd(10)}  ${''.padEnd(4)}  ${'vs floor'.padStart(8)}`;
  return [`Inbox with ${result.tasks.toLocaleString('en')} pending tasks (SQLite, seeded in ${result.seedSeconds.toFixed(1)} s); "vs floor": the floor's insert transactions that fit in the time`, header, ...lines].join('\n');
}

/** Decisions/s, single and 2 of 3, each ÷ the floor. */
export function formatDecisions(single: ApprovalsResult, quorum: ApprovalsResult, floorOpsPerSec: number): string {
  const row = (what: string, result: ApprovalsResult) =>
    `${what.padEnd(52)} ${`${Math.round(result.decisionsPerSec).toLocaleString('en')}/s`.padStart(9)}  ${(result.decisionsPerSec / floorOpsPerSec).toFixed(2)}× floor  (${Math.round(result.tasksPerSec).toLocaleString('en')} tasks settled/s)`;
  return [
    `Decisions through engine.decide until the runs finish (synchronous=FULL; floor ${Math.round(floorOpsPerSec).toLocaleString('en')}/s)`,
    row(`single decision, ${single.runs.toLocaleString('en')} tasks`, single),
    row(`quorum 2 of 3, ${quorum.runs.toLocaleString('en')} tasks × 2 at once`, quorum),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tasks = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 50_000);
  const result = await measureInbox(tasks);
  console.log(formatInbox(result));
  let decisions: { single: ApprovalsResult; quorum: ApprovalsResult } | undefined;
  if (process.argv.includes('--decisions')) {
    log('decisions: single, then a quorum of 2 of 3 (10,000 tasks each, fresh processes)');
    decisions = { single: await measureApprovalsIsolated('full', { quorum: 'single' }), quorum: await measureApprovalsIsolated('full', { quorum: 'two-of-three' }) };
    console.log(formatDecisions(decisions.single, decisions.quorum, result.floorOpsPerSec));
  }
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'inbox.json'), `${JSON.stringify({ benchmark: 'cairn inbox', at: new Date().toISOString(), target: { firstPageMs: INBOX_TARGET_MS }, ...result, ...(decisions ? { decisions } : {}) }, null, 2)}\n`);
}
