// The runs list and the approval inbox in a browser (issue 6), against a server holding many runs:
// 10,000 runs of the seeded expense approval, 5,000 of them decided (so the list mixes completed and
// waiting runs) and 5,000 parked on the manager's approval (the inbox's pending tasks). Figures:
// navigation → the first page of rows in the DOM, for /runs as the owner and /inbox as a manager.
// `npm run bench` runs it after the editor; `npx tsx bench/web-lists.ts` runs it alone.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { Approver } from '../server/engine/engine.js';
import { openWorld, setUpOwner, type BrowserWorld } from '../web/e2e/browser.js';
import { signIn } from '../web/e2e/sessions.js';
import { median } from './stats.js';

export const WEB_LISTS_TARGETS = {
  /** Navigation to the runs list's first page of rows, with 10,000 runs in the database. */
  runsFirstPageMs: 500,
  /** Navigation to the inbox's rows, with 5,000 pending tasks for the user's role. */
  inboxFirstPageMs: 500,
} as const;

const RUNS = 10_000;
const PENDING = 5_000;
const CHUNK = 2_000;
/** web/runs/RunsPage.tsx PAGE_SIZE. */
const RUNS_PAGE = 25;
/** web/inbox/InboxPage.tsx PAGE_SIZE: the inbox draws its first 50 tasks, the page the server cut. */
const INBOX_PAGE = 50;
const ROUNDS = 5;
const SLUG = 'expense-approval';
const MANAGER = { username: 'mara', name: 'Mara Manager', password: 'managers decide', roles: ['approver', 'manager'] };
const root = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_FILE = path.join(root, 'bench-results', 'web-lists.json');

export interface LoadRound {
  /** From navigation start (the page's time origin) to the first frame with the page's rows in the DOM… */
  inDomMs: number;
  /** …and to the next frame's rAF callback, by when that frame (rows styled, laid out, painted) is done: the figure. */
  rowsMs: number;
  /** Rows in the DOM at that frame. */
  rows: number;
  /** …to the first of two frames in a row under 50 ms apart after that: the main thread is free. */
  settledMs: number;
  /** The list's tRPC request, from the browser's resource timing: start, duration and body size. */
  request: { startMs: number; durationMs: number; bytes: number } | null;
}

export interface ListResult {
  url: string;
  as: string;
  warmup: LoadRound;
  rounds: LoadRound[];
  medianMs: { inDom: number; rows: number; settled: number; request: number | null };
}

export interface WebListsResult {
  runs: number;
  pendingTasks: number;
  counts: Record<string, number>;
  seedSeconds: { start: number; decide: number };
  viewport: { width: number; height: number };
  chromium: string;
  runsList: ListResult;
  inbox: ListResult;
}

/** Navigate to `url` and time, in the page against its own time origin, the first frame with `minRows` rows. */
async function loadOnce(page: Page, url: string, minRows: number, procedure: string): Promise<LoadRound> {
  await page.goto(url, { waitUntil: 'commit' });
  return page.evaluate(
    ({ minRows, procedure }) =>
      new Promise<LoadRound>((resolve, reject) => {
        let inDomMs: number | undefined;
        let rowsMs: number | undefined;
        let rows = 0;
        let last = 0;
        let quietFrames = 0;
        const deadline = performance.now() + 30_000;
        const request = () => {
          const entry = performance
            .getEntriesByType('resource')
            .filter((candidate) => candidate.name.includes('/trpc/') && decodeURIComponent(candidate.name).includes(procedure))
            .at(0) as PerformanceResourceTiming | undefined;
          return entry ? { startMs: entry.startTime, durationMs: entry.responseEnd - entry.startTime, bytes: entry.decodedBodySize } : null;
        };
        const frame = (now: number) => {
          if (now > deadline) return reject(new Error(`${location.pathname}: ${minRows} rows not drawn in 30 s (${rows} drawn)`));
          if (inDomMs === undefined) {
            const found = document.querySelectorAll('tbody tr[data-testid]').length;
            if (found >= minRows) [inDomMs, rows] = [performance.now(), found];
          } else if (rowsMs === undefined) {
            rowsMs = performance.now();
          } else {
            quietFrames = now - last < 50 ? quietFrames + 1 : 0;
            if (quietFrames === 2) return resolve({ inDomMs, rowsMs, rows, settledMs: now, request: request() });
          }
          last = now;
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    { minRows, procedure },
  );
}

async function measureList(page: Page, url: string, as: string, minRows: number, procedure: string): Promise<ListResult> {
  const warmup = await loadOnce(page, url, minRows, procedure);
  const rounds: LoadRound[] = [];
  for (let round = 0; round < ROUNDS; round++) rounds.push(await loadOnce(page, url, minRows, procedure));
  const requests = rounds.map((round) => round.request?.durationMs).filter((value): value is number => value !== undefined);
  return {
    url,
    as,
    warmup,
    rounds,
    medianMs: { inDom: median(rounds.map((round) => round.inDomMs)), rows: median(rounds.map((round) => round.rowsMs)), settled: median(rounds.map((round) => round.settledMs)), request: requests.length ? median(requests) : null },
  };
}

/** 10,000 expense reports started through the engine in chunks; the oldest 5,000 decided (one in five rejected). */
async function seed(world: BrowserWorld, progress: (message: string) => void): Promise<WebListsResult['seedSeconds']> {
  const { engine } = world.server;
  const worker = world.server.worker!;
  progress(`web lists: starting ${RUNS.toLocaleString('en')} runs of ${SLUG}`);
  const began = performance.now();
  for (let started = 0; started < RUNS; started += CHUNK) {
    await Promise.all(
      Array.from({ length: Math.min(CHUNK, RUNS - started) }, (_, index) => {
        const number = started + index + 1;
        return engine.startRun({ workflow: SLUG, input: { employee: `Employee ${number % 97}`, amount: 10 + (number % 990), purpose: `Expense report #${number}` } });
      }),
    );
  }
  await worker.drain();
  const startSeconds = (performance.now() - began) / 1000;

  progress(`web lists: deciding ${(RUNS - PENDING).toLocaleString('en')} of the tasks`);
  const manager: Approver = { user: MANAGER.username, roles: MANAGER.roles };
  const tasks = (await engine.tasksFor(manager)).map((task) => task.id).sort();
  if (tasks.length !== RUNS) throw new Error(`web lists: ${tasks.length} pending tasks after starting ${RUNS} runs`);
  const toDecide = tasks.slice(0, RUNS - PENDING);
  const decideBegan = performance.now();
  let next = 0;
  const caller = async () => {
    while (next < toDecide.length) {
      const index = next++;
      await engine.decide(toDecide[index], { by: manager, decision: index % 5 === 4 ? 'reject' : 'approve', comment: 'bench' });
    }
  };
  await Promise.all(Array.from({ length: 64 }, caller));
  await worker.drain();
  return { start: startSeconds, decide: (performance.now() - decideBegan) / 1000 };
}

export async function measureWebLists(progress: (message: string) => void = () => undefined): Promise<WebListsResult> {
  // A build of its own in a temp folder, as bench/editor.ts does: the code as it is, and dist/web
  // (which browser tests may be reading meanwhile) left alone.
  progress('web lists: building the web app (vite build)');
  const webRoot = mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-web-'));
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', webRoot, '--emptyOutDir'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('vite build failed');

  const viewport = { width: 1440, height: 900 };
  const world = await openWorld({ seed: true, viewport, webRoot });
  try {
    const { page } = world;
    page.setDefaultTimeout(30_000);
    // tsx (esbuild, keepNames) wraps the named functions inside page.evaluate callbacks in __name().
    await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
    await setUpOwner(page);
    await world.server.services.accounts.createUser(MANAGER);
    const seedSeconds = await seed(world, progress);

    const counts = await world.server.services.runs.counts();
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    const pending = (await world.server.engine.tasksFor({ user: MANAGER.username, roles: MANAGER.roles })).length;
    if (total !== RUNS || counts.waiting !== PENDING || pending !== PENDING) throw new Error(`web lists: seeded ${JSON.stringify(counts)} with ${pending} pending tasks`);

    progress(`web lists: /runs as the owner (1 untimed + ${ROUNDS} loads)`);
    const runsList = await measureList(page, '/runs', 'owner (admin)', RUNS_PAGE, 'runs.list');
    if (runsList.rounds.some((round) => round.rows !== RUNS_PAGE)) throw new Error(`web lists: the runs list drew ${runsList.rounds.map((round) => round.rows).join('/')} rows`);

    progress(`web lists: /inbox as a manager (1 untimed + ${ROUNDS} loads)`);
    await signIn(page, MANAGER, '/inbox');
    const inbox = await measureList(page, '/inbox', 'manager (approver, manager)', INBOX_PAGE, 'inbox.page');
    if (inbox.rounds.some((round) => round.rows !== INBOX_PAGE)) throw new Error(`web lists: the inbox drew ${inbox.rounds.map((round) => round.rows).join('/')} rows`);

    return { runs: RUNS, pendingTasks: PENDING, counts, seedSeconds, viewport, chromium: world.browser.version(), runsList, inbox };
  } finally {
    await world.close();
    rmSync(webRoot, { recursive: true, force: true });
  }
}

const ms = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

export function formatWebListsTable(result: WebListsResult): string {
  const rows: [string, string, string, string][] = [];
  const list = (name: string, figures: ListResult, target: number) => {
    const request = figures.rounds[0].request;
    rows.push(
      [`${name}: navigation → first page of rows drawn (median of ${figures.rounds.length})`, ms(figures.medianMs.rows), `< ${ms(target)}`, verdict(figures.medianMs.rows < target)],
      ['  rounds', figures.rounds.map((round) => Math.round(round.rowsMs)).join(' / '), '', ''],
      ['  rows in the DOM (median) / rows / untimed first load', `${ms(figures.medianMs.inDom)} / ${figures.rounds[0].rows} / ${ms(figures.warmup.rowsMs)}`, '', ''],
      ['  its tRPC request: duration (median) / body', `${figures.medianMs.request === null ? 'n/a' : ms(figures.medianMs.request)} / ${request ? kb(request.bytes) : 'n/a'}`, '', ''],
      ['  main thread free (median)', ms(figures.medianMs.settled), '', ''],
    );
  };
  list(`runs list, ${result.runs.toLocaleString('en')} runs (/runs, ${RUNS_PAGE} a page)`, result.runsList, WEB_LISTS_TARGETS.runsFirstPageMs);
  list(`inbox, ${result.pendingTasks.toLocaleString('en')} pending tasks (/inbox, ${INBOX_PAGE} drawn)`, result.inbox, WEB_LISTS_TARGETS.inboxFirstPageMs);
  rows.push(['seeding: runs started + parked / decided', `${result.seedSeconds.start.toFixed(1)} s / ${result.seedSeconds.decide.toFixed(1)} s`, '', '']);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) => [row[0].padEnd(widths[0]), row[1].padStart(widths[1]), row[2].padEnd(widths[2]), row[3]].join('  ').trimEnd());
  const rule = '-'.repeat(Math.max(...lines.map((line) => line.length)));
  return [`Runs list and inbox in Chromium ${result.chromium} (headless, no GPU, ${result.viewport.width}×${result.viewport.height})`, rule, ...lines, rule].join('\n');
}

export function writeWebListsJson(result: WebListsResult, file = RESULTS_FILE): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const document = {
    benchmark: 'cairn runs list and inbox',
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model },
    targets: WEB_LISTS_TARGETS,
    result,
    verdicts: {
      runsList: verdict(result.runsList.medianMs.rows < WEB_LISTS_TARGETS.runsFirstPageMs),
      inbox: verdict(result.inbox.medianMs.rows < WEB_LISTS_TARGETS.inboxFirstPageMs),
    },
  };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  measureWebLists((message) => process.stderr.write(`${message}\n`))
    .then((result) => {
      console.log(`\n${formatWebListsTable(result)}`);
      console.log(`\nfigures written to ${writeWebListsJson(result)}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
