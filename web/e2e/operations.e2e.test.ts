// Issue 18 acceptance, browser: the Operations page in Debian's Chromium against a real server shows
// its charts (throughput, failures and retries, timer lag, oldest pending approval) and runs by
// state, and updates live as runs start, fail and wait while it is open. Screenshots operations-*.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../server/testing/graphs.js';
import { type BrowserWorld, openOwnerWorld, screenshot } from './browser.js';

const WAIT = { timeout: 20_000 };
let world: BrowserWorld;
const errors: string[] = [];

beforeAll(async () => {
  world = await openOwnerWorld(errors);
}, 120_000);
afterAll(async () => world?.close());

describe('the Operations page', () => {
  it('shows the charts and runs by state, and follows runs as they happen', async () => {
    const { page, server } = world;
    const { workflows, runs } = server.services;
    await workflows.saveDraft('quick', { name: 'Quick', graph: buildGraph([['start', 'start'], ['end', 'end']], ['start.next -> end']) });
    await workflows.publish('quick', 'e2e');
    await workflows.saveDraft('doomed', { name: 'Doomed', graph: buildGraph([['start', 'start'], ['no', 'fail', { message: 'refused on purpose' }]], ['start.next -> no']) });
    await workflows.publish('doomed', 'e2e');
    await workflows.saveDraft('gated', { name: 'Gated', graph: buildGraph([['start', 'start'], ['ok', 'approval', { title: 'Go?', assignees: { roles: ['admin'] } }], ['end', 'end']], ['start.next -> ok', 'ok.approved -> end']) });
    await workflows.publish('gated', 'e2e');
    for (let i = 0; i < 5; i++) await runs.start('quick', {});

    await page.getByTestId('nav-operations').click();
    await page.getByTestId('operations-page').waitFor();
    for (const chart of ['throughput', 'failures', 'lag', 'approval']) await page.getByTestId(`ops-chart-${chart}`).locator('canvas').waitFor();
    await expect.poll(() => page.getByTestId('ops-state-completed').textContent(), WAIT).toMatch(/5$/);
    await expect.poll(() => page.getByTestId('ops-started').textContent(), WAIT).toBe('5');
    await screenshot(page, 'operations-first');

    // While the page is open: more runs, a failure, a run waiting on an approval.
    const points = async () => Number(await page.getByTestId('ops-chart-throughput').locator('[data-points]').getAttribute('data-points'));
    const before = await points();
    for (let i = 0; i < 20; i++) await runs.start('quick', {});
    for (let i = 0; i < 3; i++) await runs.start('doomed', {});
    await runs.start('gated', {});
    await expect.poll(() => page.getByTestId('ops-started').textContent(), WAIT).toBe('29');
    await expect.poll(() => page.getByTestId('ops-state-completed').textContent(), WAIT).toMatch(/25$/);
    await expect.poll(() => page.getByTestId('ops-state-failed').textContent(), WAIT).toMatch(/3$/);
    await expect.poll(() => page.getByTestId('ops-pending').textContent(), WAIT).toBe('1');
    await expect.poll(points, WAIT).toBeGreaterThan(before + 1);
    await expect.poll(() => page.getByTestId('ops-oldest-approval').textContent(), WAIT).toMatch(/\d+ s$/);
    // The throughput line has drawn the burst: a legend value above zero while the cursor is on it.
    const plot = page.getByTestId('ops-chart-throughput').locator('.u-over');
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    await screenshot(page, 'operations-live');
    expect(errors).toEqual([]);
  }, 120_000);
});
