// The web app under its security headers, in Debian's Chromium against a real server: every main page
// (with a schema form, a run graph and the inbox) works under the Content-Security-Policy with no
// violation; the inbox refuses to load inside a frame on another origin (frame-ancestors 'none');
// and an admin disables a user and sets a password from the settings page. Writes screenshots.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserWorld, openWorld, screenshot, screenshotIfFailed, setUpOwner } from './browser.js';

const TEST_TIMEOUT = 90_000;
const WAIT = { timeout: 15_000 };
const OWNER = { username: 'owner', password: 'a long enough secret' };

let world: BrowserWorld;
let page: Page;
/** CSP violations the page reported (securitypolicyviolation events) and the console's refusals. */
const violations: string[] = [];

declare global {
  interface Window {
    cspViolations?: string[];
  }
}

beforeAll(async () => {
  world = await openWorld();
  page = world.page;
  page.setDefaultTimeout(15_000);
  // Recorded in every document the page loads, before any of its own scripts run.
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => window.cspViolations!.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  await setUpOwner(page, OWNER);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

afterEach(async (context) => {
  await screenshotIfFailed(page, context);
});

/** Everything reported so far in this page (console and events), emptied. */
async function takeViolations(): Promise<string[]> {
  const inPage = await page.evaluate(() => window.cspViolations?.splice(0) ?? []);
  return [...violations.splice(0), ...inPage];
}

describe('the Content-Security-Policy', () => {
  it(
    'lets every main page work with no violation: editor, a schema form, a run graph, runs, inbox, settings',
    async () => {
      const csp = (await page.request.get('/inbox')).headers()['content-security-policy'];
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);

      await page.goto('/');
      await page.getByTestId('open-workflow-expense-approval').click();
      await page.getByTestId('editor').waitFor(WAIT);
      await page.locator('.react-flow__node').first().waitFor(WAIT);
      // The start form checks its fields against the workflow's JSON Schema as they are typed.
      await page.getByTestId('start-run').click();
      const dialog = page.getByTestId('start-run-dialog');
      await dialog.getByTestId('run-input-employee').fill('Erin Example');
      await dialog.getByTestId('run-input-amount').fill('42');
      await dialog.getByTestId('run-input-purpose').fill('Train ticket');
      await expect.poll(() => dialog.getByTestId('dialog-submit').isEnabled(), WAIT).toBe(true);
      await dialog.getByTestId('dialog-submit').click();
      await page.waitForURL(/\/runs\/[^/]+$/, WAIT);
      await page.getByTestId('run-graph').locator('.react-flow__node').first().waitFor(WAIT);
      await screenshot(page, 'security-run-under-csp');
      await page.goto('/runs');
      await page.getByTestId('runs-page').waitFor(WAIT);
      await page.goto('/inbox');
      await page.getByTestId('inbox-page').waitFor(WAIT);
      await page.goto('/settings');
      await page.getByTestId('users-table').waitFor(WAIT);
      expect(await takeViolations()).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'keeps the inbox out of a frame on another origin',
    async () => {
      // Another site (another port is another origin) that frames Cairn's inbox.
      const framing = http.createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(`<!doctype html><title>Not Cairn</title><h1>A page that frames Cairn</h1><iframe id="framed" src="${world.server.url}/inbox" width="900" height="500"></iframe>`);
      });
      await new Promise<void>((resolve) => framing.listen(0, '127.0.0.1', resolve));
      try {
        await page.goto(`http://127.0.0.1:${(framing.address() as AddressInfo).port}/`);
        await page.locator('#framed').waitFor(WAIT);
        // Chromium refuses the navigation and leaves the frame on its error page.
        const frameUrl = () => page.frames().find((candidate) => candidate !== page.mainFrame())?.url();
        await expect.poll(frameUrl, WAIT).toMatch(/^chrome-error:/);
        const frame = page.frames().find((candidate) => candidate !== page.mainFrame())!;
        expect(await frame.locator('[data-testid=inbox-page], #root').count()).toBe(0);
        await screenshot(page, 'security-inbox-in-a-frame');
      } finally {
        violations.splice(0);
        await new Promise((resolve) => framing.close(resolve));
      }
    },
    TEST_TIMEOUT,
  );
});

describe('settings: an admin manages accounts', () => {
  it(
    'disables a user (who then cannot sign in), enables them, and gives them a new password',
    async () => {
      await world.server.services.accounts.createUser({ username: 'dora', name: 'Dora Disabled', password: 'dora first secret', roles: ['approver'] });
      const signIn = (password: string) => page.request.post('/api/v1/auth/login', { data: { username: 'dora', password } }).then((response) => response.status());
      await page.goto('/settings');
      const row = page.getByTestId('user-row-dora');
      await row.waitFor(WAIT);
      // No disabling oneself.
      expect(await page.getByTestId('disable-user-owner').count()).toBe(0);

      await page.getByTestId('disable-user-dora').click();
      await page.getByTestId('disable-user-dialog').getByTestId('dialog-submit').click();
      await row.getByTestId('user-disabled').waitFor(WAIT);
      expect(await signIn('dora first secret')).toBe(403);

      await page.getByTestId('set-password-dora').click();
      const dialog = page.getByTestId('set-password-dialog');
      await dialog.getByTestId('set-password-password').fill('short');
      await dialog.getByTestId('dialog-submit').click();
      await dialog.getByText('At least 10 characters.').waitFor(WAIT);
      await dialog.getByTestId('set-password-password').fill('dora second secret');
      await dialog.getByTestId('set-password-confirm').fill('dora second secret');
      await dialog.getByTestId('dialog-submit').click();
      await dialog.waitFor({ state: 'detached', ...WAIT });
      await screenshot(page, 'settings-users-disabled');

      await page.getByTestId('enable-user-dora').click();
      await page.getByTestId('disable-user-dialog').getByTestId('dialog-submit').click();
      await row.getByTestId('user-disabled').waitFor({ state: 'detached', ...WAIT });
      expect(await signIn('dora first secret')).toBe(401);
      // The owner's browser is signed in by cookie; this request's session cookie replaces it.
      expect(await signIn('dora second secret')).toBe(200);
      expect(await takeViolations()).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});
