// The run page listens instead of re-reading (issue 14), in Debian's Chromium against a real server: a
// run of 5,000 history events receives 100 updates while its page is open. Counting the page's /trpc
// requests per procedure shows the version graph read once, the history read from the last event the
// page holds (every event crosses the wire once), and the run's detail re-read at most once a notice.
import type { Request, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventsAfterLoops, EVENTS_PER_TICK, LONG_HISTORY_SLUG, longHistoryGraph } from '../../server/testing/long-history.js';
import { type BrowserWorld, openOwnerWorld, screenshot, screenshotIfFailed } from './browser.js';

const LOOPS = 715;
const UPDATES = 100;
const WAIT = { timeout: 30_000, interval: 20 };

let world: BrowserWorld;
const errors: string[] = [];

beforeAll(async () => {
  world = await openOwnerWorld(errors);
}, 60_000);

afterEach(async (context) => {
  await screenshotIfFailed(world.page, context);
  expect(errors.splice(0), 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
});

/** One batched /trpc call: the procedures it names and each one's input. */
function procedures(url: string): { name: string; input: Record<string, unknown> | undefined }[] {
  const parsed = new URL(url);
  const names = decodeURIComponent(parsed.pathname.replace(/^\/trpc\//, '')).split(',');
  const raw = parsed.searchParams.get('input');
  const inputs = raw ? (JSON.parse(raw) as Record<string, Record<string, unknown>>) : {};
  return names.map((name, index) => ({ name, input: inputs[String(index)] }));
}

describe('the run page of a long run', () => {
  it('with 5,000 history events receiving 100 updates, reads the graph once and the history incrementally', async () => {
    const { page, server } = world;
    const { workflows, runs } = server.services;
    await workflows.saveDraft(LONG_HISTORY_SLUG, { name: 'Long history', graph: longHistoryGraph });
    await workflows.publish(LONG_HISTORY_SLUG, 'e2e');
    const made = Date.now();
    const { id } = await runs.start(LONG_HISTORY_SLUG, { loops: LOOPS });
    const total = eventsAfterLoops(LOOPS);
    await expect.poll(async () => (await runs.detail(id)).historyCount, WAIT).toBe(total);
    expect(total).toBeGreaterThanOrEqual(5_000);
    const makingMs = Date.now() - made;

    const calls: { name: string; input: Record<string, unknown> | undefined }[] = [];
    let historyEventsReceived = 0;
    page.on('request', (request: Request) => {
      if (new URL(request.url()).pathname.startsWith('/trpc/')) calls.push(...procedures(request.url()));
    });
    page.on('response', (response: Response) => {
      const named = new URL(response.url()).pathname.startsWith('/trpc/') ? procedures(response.url()) : [];
      if (!named.some((call) => call.name === 'runs.history')) return;
      void response.json().then((results: { result?: { data?: { events?: unknown[] } } }[]) => {
        named.forEach((call, index) => {
          if (call.name === 'runs.history') historyEventsReceived += results[index]?.result?.data?.events?.length ?? 0;
        });
      });
    });

    await page.goto(`/runs/${id}`);
    const count = page.getByTestId('run-timeline').locator('h2');
    await expect.poll(() => count.textContent(), WAIT).toContain(`${total} events`);
    await screenshot(page, 'run-page-live-loaded');

    // 100 updates, each its own checkpoint: a tick is sent once the one before has been taken.
    const updatesStarted = Date.now();
    for (let tick = 1; tick <= UPDATES; tick++) {
      await runs.signal(id, 'tick', { tick });
      await expect.poll(async () => (await runs.detail(id)).historyCount, WAIT).toBe(total + tick * EVENTS_PER_TICK);
    }
    const updatesMs = Date.now() - updatesStarted;
    const final = total + UPDATES * EVENTS_PER_TICK;
    await expect.poll(() => count.textContent(), WAIT).toContain(`${final} events`);
    await expect.poll(() => historyEventsReceived, WAIT).toBe(final);
    await screenshot(page, 'run-page-live-updated');

    const of = (name: string) => calls.filter((call) => call.name === name);
    // The version's graph: once, for this run's version.
    expect(of('workflows.version').map((call) => call.input)).toEqual([{ slug: LONG_HISTORY_SLUG, version: 1 }]);
    // The history: every read starts after the last event the page held, so each event came once.
    const after = of('runs.history').map((call) => call.input?.afterSeq);
    expect(after.slice(0, 6)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    for (let index = 1; index < after.length; index++) expect(after[index]).toBeGreaterThan(after[index - 1] as number);
    expect(historyEventsReceived).toBe(final);
    // The detail: at most once per update (notices that come together are read together).
    const details = of('runs.detail').length;
    expect(details).toBeGreaterThanOrEqual(2);
    expect(details).toBeLessThanOrEqual(1 + UPDATES);
    console.log(
      `run-page-live: ${total} events made in ${makingMs} ms; ${UPDATES} updates in ${updatesMs} ms; requests: workflows.version ${of('workflows.version').length}, ` +
        `runs.detail ${details}, runs.history ${after.length} (${historyEventsReceived} events received for ${final} in the history)`,
    );
  }, 120_000);
});
