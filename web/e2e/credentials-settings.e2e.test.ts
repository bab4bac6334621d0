// Settings → Credentials in the browser: an admin creates a bearer credential through the dialog (the
// value typed once, never on the page again), rotates it, deletes an unused one, and is told which
// workflows keep one in use (non-admins are refused by the server: server/api/credentials-rest.test.ts).
// Screenshots credentials-*.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lineOfSteps } from '../../server/testing/graphs.js';
import { type BrowserWorld, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';

const WAIT = { timeout: 15_000 };
const SECRET = 'sk_test_visible_never_9f8e7d';
let world: BrowserWorld;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  world = await openWorld({ seed: false });
  page = world.page;
  watchErrors(page, pageErrors);
  await setUpOwner(page);
}, 120_000);

afterEach(async (context) => {
  await screenshotIfFailed(page, context);
  expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
});

afterAll(() => world?.close());

const section = () => page.getByTestId('credentials-section');
const dialog = () => page.getByTestId('credential-dialog');

describe('Settings → Credentials', () => {
  it('creates, rotates and deletes credentials; one in use is kept, naming its workflow', async () => {
    await page.goto('/settings');
    await section().getByText('No credentials yet.').waitFor(WAIT);

    await section().getByTestId('new-credential').click();
    await dialog().getByTestId('credential-name').fill('stripe');
    await dialog().getByTestId('credential-secret').fill(SECRET);
    expect(await dialog().getByTestId('credential-secret').getAttribute('type')).toBe('password');
    await dialog().getByTestId('credential-description').fill('Payments API');
    await screenshot(page, 'credentials-new');
    await dialog().getByRole('button', { name: 'Create credential' }).click();
    await section().getByTestId('credential-row-stripe').waitFor(WAIT);
    await expect.poll(() => section().getByTestId('credential-row-stripe').textContent(), WAIT).toMatch(/stripe.*Bearer token.*Payments API/);

    // A header credential, through the kind's own fields.
    await section().getByTestId('new-credential').click();
    await dialog().getByTestId('credential-name').fill('crm');
    await dialog().getByTestId('credential-kind').selectOption('header');
    await dialog().getByTestId('credential-first').fill('X-Api-Key');
    await dialog().getByTestId('credential-secret').fill('crm-key-123456');
    await dialog().getByRole('button', { name: 'Create credential' }).click();
    await section().getByTestId('credential-row-crm').waitFor(WAIT);

    // A bad name is refused in the dialog, which stays open with the reason.
    await section().getByTestId('new-credential').click();
    await dialog().getByTestId('credential-name').fill('Not A Name');
    await dialog().getByTestId('credential-secret').fill('whatever-123');
    await dialog().getByRole('button', { name: 'Create credential' }).click();
    await dialog().getByText(/a credential name is 1 to 63 lower-case letters/).waitFor(WAIT);
    await dialog().getByRole('button', { name: 'Cancel' }).click();

    expect(await page.content()).not.toContain(SECRET);
    await screenshot(page, 'credentials-list');

    // Rotate: a new value, the row says when.
    await section().getByTestId('rotate-credential-stripe').click();
    await dialog().getByTestId('credential-secret').fill('sk_test_rotated_1234');
    await dialog().getByRole('button', { name: 'Rotate' }).click();
    await dialog().waitFor({ state: 'detached', ...WAIT });
    const stored = await world.server.services.credentials!.list();
    expect(stored.find((credential) => credential.name === 'stripe')!.rotatedAt > stored.find((credential) => credential.name === 'stripe')!.createdAt).toBe(true);

    // In use by a published version: refused, naming it.
    await world.server.services.workflows.saveDraft('billing', { name: 'Billing', graph: lineOfSteps([{ id: 'charge', action: 'http.request', input: { url: 'https://api.example/charge', credential: 'stripe' } }]) });
    await world.server.services.workflows.publish('billing');
    await section().getByTestId('delete-credential-stripe').click();
    await page.getByTestId('delete-credential-dialog').getByRole('button', { name: 'Delete credential' }).click();
    await page.getByTestId('delete-credential-dialog').getByText(/used by published versions of billing \(version 1\)/).waitFor(WAIT);
    await screenshot(page, 'credentials-delete-refused');
    await page.getByTestId('delete-credential-dialog').getByRole('button', { name: 'Cancel' }).click();

    // Unused: deleted.
    await section().getByTestId('delete-credential-crm').click();
    await page.getByTestId('delete-credential-dialog').getByRole('button', { name: 'Delete credential' }).click();
    await section().getByTestId('credential-row-crm').waitFor({ state: 'detached', ...WAIT });
    await section().getByTestId('credential-row-stripe').waitFor(WAIT);
    expect(await page.content()).not.toMatch(/sk_test_|crm-key/);
    // The two refusals above were meant: the browser logs their statuses, nothing else may be there.
    const expected = pageErrors.filter((error) => /status of (422|409)/.test(error));
    expect(expected).toHaveLength(2);
    pageErrors.splice(0, pageErrors.length, ...pageErrors.filter((error) => !expected.includes(error)));
  }, 120_000);
});
