// Issue 18, the operator's controls in Debian's Chromium against a real server on a FakeClock: a
// workflow's concurrency limit set on its versions page (a bad number refused in the form) and a
// queued run's place in line, which moves as others finish; a bulk cancel of the runs the list's
// filters match — the preview's count, a stale count refused and shown afresh, the confirmation, the
// durable job's progress to its end — with runs outside the filter untouched; and a run paused on
// its page, whose due timer does not fire until it is resumed from the runs list. Screenshots operator-*.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../server/engine/clock.js';
import { buildGraph } from '../../server/testing/graphs.js';
import { until } from '../../server/testing/harness.js';
import { type BrowserWorld, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';

const WAIT = { timeout: 20_000 };
const TEST_TIMEOUT = 120_000;
// Workflow time starts two hours before the wall clock's and the pause test moves it two hours on,
// so what the pages count from the browser's clock ("2 hours ago", "overdue") reads true.
const clock = new FakeClock(Date.now() - 2 * 3_600_000);
let world: BrowserWorld;
let page: Page;
const errors: string[] = [];

const napThenHold = buildGraph(
  [['start', 'start'], ['nap', 'wait', { duration: '1h' }], ['hold', 'event', { event: 'go' }], ['end', 'end']],
  ['start.next -> nap', 'nap.next -> hold', 'hold.received -> end'],
);
for (const node of napThenHold.nodes) node.label = { nap: 'Cool-off hour', hold: 'Wait for go' }[node.id] ?? node.label;

async function publish(slug: string, name: string) {
  await world.server.services.workflows.saveDraft(slug, { name, graph: napThenHold });
  await world.server.services.workflows.publish(slug, 'e2e');
}

async function startRuns(slug: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await world.server.services.runs.start(slug, { i })).id);
  return ids;
}

const statusOf = async (id: string) => (await world.server.services.runs.get(id)).status;

/** Until every run of `slug` is in one of `statuses` (the worker runs in the background). */
async function settled(slug: string, statuses: string[], what: string) {
  await until(
    async () => {
      const counts = await world.server.services.runs.counts(slug);
      return Object.entries(counts).every(([status, count]) => count === 0 || statuses.includes(status));
    },
    { timeoutMs: 30_000, what },
  );
}

beforeAll(async () => {
  world = await openWorld({ seed: false, clock });
  page = watchErrors(world.page, errors);
  await setUpOwner(page);
}, TEST_TIMEOUT);
afterEach(async (context) => screenshotIfFailed(page, context, 'failed-operator-'));
afterAll(async () => world?.close());

describe('operating runs in the browser', () => {
  it('sets a concurrency limit on the versions page and shows a queued run’s place in line, moving as others finish', async () => {
    await publish('limited', 'Limited intake');
    await page.goto('/workflows/limited/drain');
    await expect.poll(() => page.getByTestId('concurrency-limit').textContent(), WAIT).toBe('No limit');
    await page.getByTestId('concurrency-edit').click();
    const dialog = page.getByTestId('concurrency-dialog');
    // A bad number is named in the form and cannot be sent.
    for (const bad of ['0', '2.5', '-3', 'lots', '100001']) {
      await dialog.getByTestId('concurrency-input').fill(bad);
      await expect.poll(() => dialog.locator('.cairn-field__error').textContent(), WAIT).toContain('A whole number from 1 to 100,000');
      expect(await dialog.getByTestId('dialog-submit').isDisabled()).toBe(true);
    }
    await dialog.getByTestId('concurrency-input').fill('2');
    await dialog.getByTestId('dialog-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('concurrency-limit').textContent(), WAIT).toBe('2 in flight');
    expect((await world.server.services.operations!.concurrency('limited')).limit).toBe(2);

    const ids = await startRuns('limited', 5);
    await settled('limited', ['waiting', 'queued'], 'two runs waiting and three queued');
    await expect.poll(() => page.getByTestId('drain-count-1-queued').textContent(), WAIT).toMatch(/queued\s*3$/);
    await expect.poll(() => page.getByTestId('drain-count-1-waiting').textContent(), WAIT).toMatch(/waiting\s*2$/);
    await expect.poll(() => page.getByTestId('concurrency-now').textContent(), WAIT).toBe('2 in flight now · 3 queued');
    await screenshot(page, 'operator-drain-queued');

    await page.goto(`/runs/${ids[4]}`);
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), WAIT).toBe('queued');
    await expect.poll(() => page.getByTestId('queue-position').textContent(), WAIT).toBe('3rd in line');
    await expect.poll(() => page.getByTestId('queue-limit').textContent(), WAIT).toBe('Limited intake allows 2 runs in flight and has 2; 3 queued. ');
    // A queued run has not started: nothing to pause.
    expect(await page.getByTestId('pause-run').count()).toBe(0);
    await screenshot(page, 'operator-run-queued');

    // One of the two in flight finishes: the first queued run takes its place, this one moves up.
    await world.server.services.runs.cancel(ids[0], { by: 'e2e' });
    await expect.poll(() => page.getByTestId('queue-position').textContent(), WAIT).toBe('2nd in line');

    await page.goto('/runs?workflow=limited');
    await expect.poll(() => page.getByTestId('status-count-queued').textContent(), WAIT).toMatch(/Queued\s*2$/);
    await expect.poll(() => page.getByTestId('status-count-paused').textContent(), WAIT).toMatch(/Paused\s*0$/);
    await expect.poll(() => page.getByTestId(`run-row-${ids[4]}`).textContent(), WAIT).toContain('its turn under the concurrency limit');
    await screenshot(page, 'operator-runs-queued');
    expect(errors).toEqual([]);
  }, TEST_TIMEOUT);

  it('cancels every run the filters match: the preview’s count, a stale count refused, the confirmation, progress to the end', async () => {
    await publish('intake', 'Claims intake');
    await publish('bystander', 'Bystander');
    const total = 150;
    const ids = await startRuns('intake', total);
    const others = await startRuns('bystander', 3);
    await settled('intake', ['waiting'], 'the intake runs to wait');
    await settled('bystander', ['waiting'], 'the bystander runs to wait');

    await page.goto('/runs?workflow=intake&status=waiting');
    await page.getByTestId('bulk-bar').waitFor();
    await page.getByTestId('bulk-cancel').click();
    const dialog = page.getByTestId('bulk-dialog');
    await expect.poll(() => dialog.getByTestId('bulk-preview-count').textContent(), WAIT).toBe(String(total));
    expect(await dialog.locator('.cairn-bulk__filter li').allTextContents()).toEqual(['Workflow: Claims intake', 'Status: waiting']);
    expect(await dialog.getByTestId('dialog-submit').textContent()).toBe(`Cancel ${total} runs`);
    await screenshot(page, 'operator-bulk-confirm');

    // One more run starts while the dialog is open: the count confirmed is no longer the count.
    const late = (await startRuns('intake', 1))[0];
    await until(async () => (await statusOf(late)) === 'waiting', { timeoutMs: 30_000, what: 'the late run to wait' });
    await dialog.getByTestId('dialog-submit').click();
    await expect.poll(() => dialog.locator('.cairn-notice').textContent(), WAIT).toContain(`now matches ${total + 1} run(s), not the ${total} confirmed`);
    await expect.poll(() => dialog.getByTestId('bulk-preview-count').textContent(), WAIT).toBe(String(total + 1));
    // The browser logs the refusal's 409 as a failed load: that one is expected, nothing else.
    expect(errors).toEqual([expect.stringContaining('409 (Conflict)')]);
    errors.length = 0;
    expect(await statusOf(ids[0])).toBe('waiting');

    await dialog.getByTestId('dialog-submit').click();
    await dialog.waitFor({ state: 'detached' });
    const progress = page.getByTestId('bulk-progress');
    await progress.waitFor(WAIT);
    // Follow it: the counts only go up, and it ends completed with the count.
    const seen: number[] = [];
    await expect
      .poll(async () => {
        seen.push(Number(await progress.getByRole('progressbar').getAttribute('aria-valuenow')));
        return progress.getAttribute('data-status');
      }, { timeout: 60_000, interval: 100 })
      .toBe('completed');
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await progress.getByTestId('bulk-progress-text').textContent()).toBe(`Cancelled ${total + 1} runs`);
    expect(await progress.getByTestId('bulk-progress-counts').textContent()).toBe(`${total + 1} of ${total + 1} · ${total + 1} cancelled · 0 skipped`);
    await expect.poll(() => page.getByTestId('runs-empty').textContent(), WAIT).toBe('No run matches these filters.');
    await screenshot(page, 'operator-bulk-done');

    expect((await world.server.services.runs.counts('intake')).cancelled).toBe(total + 1);
    for (const id of others) expect(await statusOf(id)).toBe('waiting');
    await progress.getByTestId('bulk-dismiss').click();
    await progress.waitFor({ state: 'detached' });

    // Nothing left to match: the count says 0 and there is nothing to confirm.
    await page.getByTestId('bulk-resume').click();
    await expect.poll(() => dialog.getByTestId('bulk-preview-count').textContent(), WAIT).toBe('0');
    expect(await dialog.getByTestId('dialog-submit').textContent()).toBe('Nothing to do');
    expect(await dialog.getByTestId('dialog-submit').isDisabled()).toBe(true);
    await screenshot(page, 'operator-bulk-nothing');
    await dialog.getByTestId('dialog-close').click();
    // A status the server does not know (a hand-edited link): the preview names it, nothing starts.
    await page.goto('/runs?status=sleeping');
    await page.getByTestId('bulk-pause').click();
    await expect.poll(() => dialog.getByTestId('bulk-preview-error').textContent(), WAIT).toContain('status must be one of');
    expect(await dialog.getByTestId('dialog-submit').isDisabled()).toBe(true);
    await screenshot(page, 'operator-bulk-bad-filter');
    await dialog.getByTestId('dialog-close').click();
    expect(errors).toEqual([expect.stringContaining('400 (Bad Request)')]);
    errors.length = 0;
    expect(await world.server.services.bulk!.list()).toHaveLength(1);
  }, TEST_TIMEOUT);

  it('pauses a run on its page: its due timer does not fire until it is resumed from the runs list', async () => {
    await publish('held', 'Held payouts');
    const [id, other] = await startRuns('held', 2);
    await settled('held', ['waiting'], 'the runs to wait at the timer');

    await page.goto(`/runs/${id}`);
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), WAIT).toBe('waiting');
    await page.getByTestId('pause-run').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), WAIT).toBe('paused');
    await expect.poll(() => page.getByTestId('run-paused').textContent(), WAIT).toContain('Paused by owner');
    expect(await page.getByTestId('pause-run').count()).toBe(0);

    // The timer comes due: the other run goes on to its event node, the paused one stays where it was.
    clock.advance('2h');
    await until(async () => (await statusOf(other)) === 'waiting' && (await world.server.services.runs.get(other)).waitingOn[0]?.nodeId === 'hold', { timeoutMs: 30_000, what: 'the other run to pass its timer' });
    await world.server.worker!.drain();
    expect(await world.server.services.runs.get(id)).toMatchObject({ status: 'paused', waitingOn: [{ nodeId: 'nap', kind: 'timer' }] });
    await page.reload();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), WAIT).toBe('paused');
    await page.getByTestId('waiting-on').waitFor();
    await screenshot(page, 'operator-run-paused');

    await page.goto('/runs?workflow=held');
    const row = page.getByTestId(`run-row-${id}`);
    await expect.poll(() => row.locator('[data-status]').getAttribute('data-status'), WAIT).toBe('paused');
    expect(await page.getByTestId(`pause-run-${other}`).isVisible()).toBe(true);
    await screenshot(page, 'operator-runs-paused');
    await page.getByTestId(`resume-run-${id}`).click();
    // Resumed, the due timer fires: the run goes on to wait for its signal, as the other did.
    await expect.poll(() => row.locator('[data-status]').getAttribute('data-status'), WAIT).toBe('waiting');
    await expect.poll(() => row.getByTestId('run-row-node').textContent(), WAIT).toBe('Wait for go');
    expect(await page.getByTestId(`pause-run-${id}`).isVisible()).toBe(true);

    await page.goto(`/runs/${id}`);
    await page.getByTestId('run-timeline').waitFor();
    const types = await page.locator('[data-testid^="timeline-event-"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-type')));
    expect(types.indexOf('runPaused')).toBeGreaterThan(-1);
    expect(types.indexOf('runResumed')).toBeGreaterThan(types.indexOf('runPaused'));
    expect(errors).toEqual([]);
  }, TEST_TIMEOUT);
});
