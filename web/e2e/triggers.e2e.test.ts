// Triggers in the browser: in the editor's Triggers drawer an editor adds a webhook (its URL shown,
// its secret once — a POST with it starts a run, and the secret is not on the page again), rotates
// the secret, and adds a schedule: an every-second or garbled expression and an unknown time zone
// are refused as typed, naming the field; a valid one shows its next fire times before and after
// it is saved. The workflows page lists both. Screenshots triggers-*.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserWorld, openEditor, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';

const WAIT = { timeout: 15_000 };
const SLUG = 'payment-retry';
let world: BrowserWorld;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  world = await openWorld({ seed: true });
  page = world.page;
  watchErrors(page, pageErrors);
  await setUpOwner(page);
}, 120_000);

afterEach(async (context) => {
  await screenshotIfFailed(page, context);
  // A refused POST the test makes on purpose is not the page's error.
  expect(pageErrors.splice(0).filter((error) => !/status of 4\d\d/.test(error)), 'errors in the page').toEqual([]);
});

afterAll(() => world?.close());

const drawer = () => page.getByTestId('triggers-drawer');

describe('triggers', () => {
  it('a webhook: its URL, its secret shown once and rotated; a POST with it starts a run', async () => {
    await openEditor(page, SLUG);
    await page.getByTestId('triggers-button').click();
    await drawer().getByText('None. A webhook').waitFor(WAIT);
    await drawer().getByTestId('add-webhook').click();
    const secret = await drawer().getByTestId('webhook-secret').inputValue(WAIT);
    expect(secret).toMatch(/^whsec_/);
    const url = (await drawer().getByTestId('webhook-url').textContent())!.replace(/^POST /, '');
    expect(url).toMatch(new RegExp(`^${world.server.url}/hooks/${SLUG}/[\\w-]+$`));
    await screenshot(page, 'triggers-webhook-secret');

    const input = { subscription: 'sub_browser', amount: 42, gatewayUrl: 'https://gateway.invalid/charge' };
    const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: JSON.stringify(input) });
    expect(answer.status).toBe(202);
    const { id } = (await answer.json()) as { id: string };
    expect((await world.server.services.runs.get(id)).input).toEqual(input);

    await drawer().getByTestId('webhook-secret-done').click();
    await drawer().getByTestId('webhook-secret').waitFor({ state: 'detached', ...WAIT });
    expect(await page.content()).not.toContain(secret);

    await drawer().getByTestId('rotate-secret').click();
    const rotated = await drawer().getByTestId('webhook-secret').inputValue(WAIT);
    expect(rotated).not.toBe(secret);
    const old = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: JSON.stringify(input) });
    expect(old.status).toBe(401);
    await drawer().getByTestId('webhook-secret-done').click();
  });

  it('a schedule: refusals name the field as typed; next fire times before and after saving', async () => {
    await drawer().getByTestId('add-schedule').click();
    const form = drawer().getByTestId('schedule-form');
    await form.getByTestId('schedule-cron').fill('* * * * * *');
    await expect.poll(() => form.getByTestId('schedule-cron-problem').textContent(), WAIT).toMatch(/fires 1 second apart; schedules fire at most once every 1 minute/);
    await screenshot(page, 'triggers-schedule-refused');
    await form.getByTestId('schedule-cron').fill('every monday');
    await expect.poll(() => form.getByTestId('schedule-cron-problem').textContent(), WAIT).toMatch(/is not a cron expression/);
    await form.getByTestId('schedule-cron').fill('*/15 * * * *');
    await form.getByTestId('schedule-timezone').fill('Mars/Olympus');
    await expect.poll(() => form.textContent(), WAIT).toMatch(/"Mars\/Olympus" is not an IANA time zone/);
    // Saving what the preview refuses is refused by the server too, naming the field.
    await form.getByTestId('schedule-save').click();
    await expect.poll(() => form.getByTestId('schedule-error').textContent(), WAIT).toMatch(/timezone: "Mars\/Olympus" is not an IANA time zone/i);

    await form.getByTestId('schedule-timezone').fill('Europe/Berlin');
    await expect.poll(() => form.getByTestId('schedule-preview').locator('li').count(), WAIT).toBe(5);
    await screenshot(page, 'triggers-schedule-form');
    await form.getByTestId('schedule-save').click();
    const item = drawer().getByTestId('schedule-item');
    await item.waitFor(WAIT);
    expect(await item.getByTestId('schedule-cron-text').textContent()).toBe('*/15 * * * *');
    await expect.poll(() => item.getByTestId('schedule-next').locator('li').count(), WAIT).toBe(5);
    const [trigger] = (await world.server.services.triggers!.list(SLUG)).filter((entry) => entry.kind === 'schedule');
    expect(trigger).toMatchObject({ cron: '*/15 * * * *', timezone: 'Europe/Berlin', missed: 'skip', enabled: true });
    await screenshot(page, 'triggers-editor');
  });

  it('the workflows page lists each workflow\'s triggers', async () => {
    await page.goto('/');
    const cell = page.getByTestId(`triggers-${SLUG}`);
    await cell.waitFor(WAIT);
    await expect.poll(() => cell.textContent(), WAIT).toMatch(/Webhook.*Schedule.*\*\/15 \* \* \* \*.*next .*\(Europe\/Berlin\)/);
    await screenshot(page, 'triggers-workflows-list');
  });
});
