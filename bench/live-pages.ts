// Open pages against the engine (issue 21): 1,000 runs × 10 steps of input + 1 in a server (as the
// test harness runs one: SQLite, synchronous=NORMAL), with no page open and with three pages each
// subscribed to every run's changes over the live connection (as the runs list is), alternating,
// two rounds each. A page that is merely open must not slow the engine: the figure is steps/s with
// the pages ÷ steps/s without, target ≥ 0.85. Also the messages the pages received.
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import { LIVE_SOCKET } from '../server/api/trpc/live-socket.js';
import type { AppRouter } from '../server/api/trpc/router.js';
import { startTestServer, type TestServer } from '../server/testing/server-harness.js';
import { median } from './stats.js';
import { addOneAction, addOneGraph } from './workloads.js';

const RUNS = 1_000;
const STEPS = 10;
const PAGES = 3;
const PASSWORD = 'a long enough secret';
export const LIVE_PAGES_TARGET = 0.85;

export interface LivePagesResult {
  pages: number;
  withoutPages: number[];
  withPages: number[];
  /** Median with ÷ median without. */
  ratio: number;
  /** Messages the pages received per round with pages (all three together). */
  messages: number[];
}

async function signedInCookie(t: TestServer): Promise<string> {
  await t.call('POST', '/api/v1/users', { body: { username: 'viewer', password: PASSWORD, roles: ['admin'] } });
  const login = await t.call('POST', '/api/v1/auth/login', { token: '', body: { username: 'viewer', password: PASSWORD } });
  if (login.status !== 200) throw new Error(`live pages: signing in answered ${login.status}`);
  return login.headers.get('set-cookie')!.split(';')[0];
}

/** A page's live connection, subscribed to every run's changes; resolves once the subscription has started. */
async function openPage(t: TestServer, cookie: string, onMessage: () => void) {
  const headers = { cookie, origin: t.server.url };
  const client = createWSClient({
    url: `${t.server.url.replace(/^http/, 'ws')}${LIVE_SOCKET.path}`,
    WebSocket: class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    } as unknown as typeof globalThis.WebSocket,
  });
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client })] });
  let subscription!: { unsubscribe(): void };
  await new Promise<void>((resolve, reject) => {
    subscription = trpc.runs.onChange.subscribe({}, { onStarted: () => resolve(), onData: onMessage, onError: reject });
  });
  return { close: async () => (subscription.unsubscribe(), await client.close()) };
}

async function round(pages: number): Promise<{ stepsPerSec: number; messages: number }> {
  const t = await startTestServer({ actions: [addOneAction] });
  try {
    const saved = await t.call('PUT', '/api/v1/workflows/live-steps', { body: { name: 'Live steps', graph: addOneGraph(STEPS) } });
    const published = await t.call('POST', '/api/v1/workflows/live-steps/publish', { body: {} });
    if (saved.status >= 300 || published.status >= 300) throw new Error(`live pages: publishing answered ${saved.status}/${published.status}`);
    const cookie = await signedInCookie(t);
    const heard = Array.from({ length: pages }, () => 0);
    const open = [];
    for (let page = 0; page < pages; page++) open.push(await openPage(t, cookie, () => void heard[page]++));
    const began = performance.now();
    await Promise.all(Array.from({ length: RUNS }, (_, value) => t.server.engine.startRun({ workflow: 'live-steps', input: { value } })));
    await t.worker.drain();
    const seconds = (performance.now() - began) / 1000;
    const completed = await t.count("SELECT COUNT(*) AS n FROM instances WHERE status = 'completed'");
    if (completed !== RUNS) throw new Error(`live pages: ${completed} of ${RUNS} runs completed`);
    // Every page hears of the changes (at the latest once the engine's burst has ended).
    const deadline = Date.now() + 30_000;
    while (heard.some((count) => count === 0)) {
      if (Date.now() > deadline) throw new Error(`live pages: a page heard of no change (${heard.join(', ')} messages)`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const page of open) await page.close();
    return { stepsPerSec: (RUNS * STEPS) / seconds, messages: heard.reduce((sum, count) => sum + count, 0) };
  } finally {
    await t.close();
  }
}

export async function measureLivePages(): Promise<LivePagesResult> {
  await round(0); // untimed: JIT
  const withoutPages: number[] = [];
  const withPages: number[] = [];
  const messages: number[] = [];
  for (let i = 0; i < 2; i++) {
    withoutPages.push((await round(0)).stepsPerSec);
    const opened = await round(PAGES);
    withPages.push(opened.stepsPerSec);
    messages.push(opened.messages);
  }
  return { pages: PAGES, withoutPages, withPages, ratio: median(withPages) / median(withoutPages), messages };
}

export function formatLivePages(result: LivePagesResult): string {
  const count = (value: number) => Math.round(value).toLocaleString('en');
  return [
    `open pages: ${count(RUNS)} runs × ${STEPS} steps in a server, with ${result.pages} pages subscribed to every run's changes ÷ with none`,
    `  without: ${result.withoutPages.map(count).join(' / ')} steps/s; with: ${result.withPages.map(count).join(' / ')} steps/s; messages to the pages: ${result.messages.map(count).join(' / ')}`,
    `  ratio ${result.ratio.toFixed(2)} (target ≥ ${LIVE_PAGES_TARGET}): ${result.ratio >= LIVE_PAGES_TARGET ? 'PASS' : 'MISS'}`,
  ].join('\n');
}
