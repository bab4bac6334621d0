// Browser tests: a real Cairn server (in this process, on 127.0.0.1) with the built web app, and
// Debian's Chromium driven by playwright-core. Screenshots go to test-results/screenshots/.
import type { MailSettings } from '../../server/actions/email.action.js';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { systemClock, type Clock } from '../../server/engine/clock.js';
import { migratedTemplate, scratchRoot } from '../../server/testing/harness.js';
import { silentLogger } from '../../server/logger.js';
import { createServer, type CairnServer } from '../../server/main.js';
import type { LoadedAction } from '../../server/actions/loader.js';
import type { ModelConfig } from '../../server/ai/model-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENSHOTS = path.join(root, 'test-results', 'screenshots');
const WEB_ROOT = path.join(root, 'dist', 'web');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserWorld {
  server: CairnServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** `webRoot`: another build of the web app than dist/web (the editor benchmark builds its own). */
/** `httpAllow`: CAIRN_HTTP_ALLOW for the server's actions (a test's own API on 127.0.0.1); `ai`: the model configuration (a fake provider); `clock`: a FakeClock for workflow time. */
export async function openWorld(
  options: { seed?: boolean; viewport?: { width: number; height: number }; webRoot?: string; httpAllow?: string[]; teamActions?: LoadedAction[]; ai?: ModelConfig; clock?: Clock; mail?: MailSettings } = {},
): Promise<BrowserWorld> {
  const webRoot = options.webRoot ?? WEB_ROOT;
  if (!existsSync(path.join(webRoot, 'index.html'))) throw new Error('the web app is not built: run `npx vite build` (npm test does) first');
  const dir = mkdtempSync(path.join(scratchRoot(), 'cairn-e2e-'));
  const file = path.join(dir, 'cairn.db');
  copyFileSync(migratedTemplate(), file);
  const server = await createServer({ databaseUrl: `file:${file}`, host: '127.0.0.1', port: 0, clock: options.clock ?? systemClock, logger: silentLogger, sync: 'normal', seed: options.seed ?? true, webRoot, httpAllow: options.httpAllow, teamActions: options.teamActions, ai: options.ai, mail: options.mail });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 }, baseURL: server.url });
  const page = await context.newPage();
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Sign in as the owner on a fresh database, through the set-up page. */
export async function setUpOwner(page: Page, owner = { username: 'owner', password: 'a long enough secret' }): Promise<void> {
  await page.goto('/');
  await page.getByLabel(/username/i).fill(owner.username);
  await page.getByLabel(/^password/i).first().fill(owner.password);
  const confirm = page.getByLabel(/confirm/i);
  if (await confirm.count()) await confirm.fill(owner.password);
  await page.getByRole('button', { name: /create|set up|continue/i }).click();
  await page.getByTestId('workflows-page').waitFor();
}

/** A world with no example workflows whose page has set up the owner and signed in, its errors collected into `errors`. */
export async function openOwnerWorld(errors: string[]): Promise<BrowserWorld> {
  const world = await openWorld({ seed: false });
  watchErrors(world.page, errors);
  await setUpOwner(world.page);
  return world;
}

/** Collect `page`'s uncaught errors and console errors into `errors` (each test expects none). */
export function watchErrors(page: Page, errors: string[]): Page {
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => errors.push(String(error.stack ?? error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return page;
}

/** In an afterEach: a failing test leaves a picture of where it stood, named after the test. */
export async function screenshotIfFailed(page: Page, context: { task: { name: string; result?: { state?: string } } }, prefix = 'failed-'): Promise<void> {
  if (context.task.result?.state !== 'fail') return;
  await screenshot(page, `${prefix}${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
}

/** Open a workflow in the editor and wait until its canvas has drawn `node` (default: any node). */
export async function openEditor(page: Page, slug: string, node?: string): Promise<void> {
  await page.goto(`/workflows/${encodeURIComponent(slug)}`);
  await page.getByTestId('canvas').waitFor({ timeout: 15_000 });
  await page.locator(node ? `.react-flow__node[data-id="${node}"]` : '.react-flow__node').first().waitFor({ timeout: 15_000 });
}

/** Save `graph` as the draft of `slug` through the services (seed data, not clicks), then open the editor. */
export async function editDraft(world: BrowserWorld, slug: string, draft: { name: string; graph: unknown }): Promise<void> {
  await world.server.services.workflows.saveDraft(slug, draft);
  await openEditor(world.page, slug);
}
