// A page left open while tasks pour in (issue 21), in Debian's Chromium against a real server: 400
// approval tasks opened in 80 separate commits reach the page as change notices, and the page reads
// the inbox counts again at most once per half second, not once per notice, then shows the right
// count. (Unthrottled, 10,000 tasks made an open page send thousands of `inbox.counts` reads, which
// kept the server busy for seconds after the burst.) Writes the inbox-burst screenshot.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { APPROVALS_REFRESH_MS } from '../inbox/inbox-data.js';
import { buildGraph } from '../../server/testing/graphs.js';
import { until } from '../../server/testing/harness.js';
import { openOwnerWorld, screenshot, type BrowserWorld } from './browser.js';

const CHUNKS = 80;
const PER_CHUNK = 5;
const approval = buildGraph(
  [['start', 'start'], ['ok', 'approval', { title: 'Ship it?', assignees: { roles: ['admin'] } }], ['end', 'end']],
  ['start.next -> ok', 'ok.approved -> end'],
);

let world: BrowserWorld;
const errors: string[] = [];

beforeAll(async () => {
  world = await openOwnerWorld(errors);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

it('an open page reads the inbox counts at most once per half second while 400 tasks open in 80 commits, then shows 400', async () => {
  const { page, server } = world;
  await server.services.workflows.saveDraft('ship-it', { name: 'Ship it', graph: approval });
  await server.services.workflows.publish('ship-it');
  // Every read of the counts from the page's first load on: the page's own first reads (its query
  // on mount, the refresh its subscription's first message asks for) fall within the allowance.
  const reads: number[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/trpc/')) return;
    // A tRPC batch names each procedure it carries in its path: "inbox.counts,approvals.list".
    const counts = url.pathname.slice('/trpc/'.length).split(',').filter((name) => name === 'inbox.counts').length;
    for (let i = 0; i < counts; i++) reads.push(Date.now());
  });
  // The inbox badge (in the top bar of every page) holds the approvals subscription; the server's
  // first message on it ({ changed: false }) says it listens from then on.
  let subscribed = false;
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => void (subscribed ||= String(frame.payload).includes('"changed":false'))));
  const opened = Date.now();
  await page.goto('/runs');
  await until(() => subscribed, { what: 'the page\'s approvals subscription', timeoutMs: 30_000 });

  const began = Date.now();
  // Each chunk is its own commit and its own change notice.
  for (let chunk = 0; chunk < CHUNKS; chunk++) {
    await Promise.all(Array.from({ length: PER_CHUNK }, () => server.engine.startRun({ workflow: 'ship-it', input: {} })));
  }
  const burstMs = Date.now() - began;
  await server.worker!.drain();
  await page.getByTestId('inbox-badge').and(page.getByLabel(`${CHUNKS * PER_CHUNK} pending approvals`)).waitFor({ timeout: 30_000 });
  await screenshot(page, 'inbox-burst');

  // The read on mount, then at most one per window (the first at once), and the trailing one.
  const elapsed = Date.now() - opened;
  const allowed = Math.ceil(elapsed / APPROVALS_REFRESH_MS) + 3;
  expect(reads.length, `${reads.length} reads over ${elapsed} ms (the burst took ${burstMs} ms)`).toBeLessThanOrEqual(allowed);
  expect(errors).toEqual([]);
}, 120_000);
