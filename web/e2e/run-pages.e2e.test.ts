// Small things on the run pages that a user hit (issue 13, list 7), in Debian's Chromium against a real
// server: the start form edits arrays and objects as fields and names JSON that does not parse; the
// cancel dialog's buttons say what they do; the runs list names nodes by their labels; Retry is
// offered only where it can help, and otherwise the page says why not. Data is seeded through the services.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../server/testing/graphs.js';
import { type BrowserWorld, openWorld, screenshot, screenshotIfFailed, setUpOwner } from './browser.js';

const TEST_TIMEOUT = 90_000;
const WAIT = { timeout: 15_000 };

let world: BrowserWorld;
let page: Page;
const pageErrors: string[] = [];
let expectedErrors: RegExp[] = [];

function labelled(graph: ReturnType<typeof buildGraph>, labels: Record<string, string>) {
  for (const node of graph.nodes) node.label = labels[node.id] ?? node.label;
  return graph;
}

const GRAPHS = {
  order: labelled(
    buildGraph(
      [
        [
          'start',
          'start',
          {
            inputSchema: {
              type: 'object',
              required: ['customer', 'items'],
              properties: {
                customer: { type: 'string', title: 'Customer' },
                items: { type: 'array', minItems: 1, items: { type: 'object', title: 'line', required: ['sku', 'qty'], properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } } } },
                extra: { title: 'Extra', description: 'Anything else, as JSON' },
              },
            },
          },
        ],
        ['ship', 'event', { event: 'shipped' }],
        ['done', 'end'],
      ],
      ['start.next -> ship', 'ship.received -> done'],
    ),
    { ship: 'Parcel shipped' },
  ),
  refuse: labelled(buildGraph([['start', 'start'], ['refuse', 'fail', { message: 'Claims over the limit are refused' }]], ['start.next -> refuse']), { refuse: 'Refuse the claim' }),
  ledger: labelled(
    buildGraph([['start', 'start'], ['book', 'step', { action: 'transform', input: { expression: '$error("the ledger is locked")' }, retry: { maxAttempts: 1 } }], ['end', 'end']], ['start.next -> book', 'book.ok -> end']),
    { book: 'Book it' },
  ),
};

const runs = { refuse: '', ledger: '', order: '' };

beforeAll(async () => {
  world = await openWorld({ seed: false });
  page = world.page;
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(String(error.stack ?? error)));
  page.on('console', (message) => void (message.type() === 'error' && pageErrors.push(`${message.text()} (${message.location().url})`)));
  await setUpOwner(page);
  const { workflows } = world.server.services;
  for (const [slug, graph] of Object.entries(GRAPHS)) {
    await workflows.saveDraft(slug, { name: slug, graph });
    await workflows.publish(slug, 'e2e');
  }
  runs.refuse = (await world.server.services.runs.start('refuse', {})).id;
  runs.ledger = (await world.server.services.runs.start('ledger', {})).id;
  // Until both have failed (expect.poll belongs to tests, not hooks).
  const deadline = Date.now() + WAIT.timeout;
  for (const id of [runs.refuse, runs.ledger]) {
    while ((await status(id)) !== 'failed') {
      if (Date.now() > deadline) throw new Error(`run ${id} is ${await status(id)}, not failed`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}, 120_000);

afterEach(async (context) => {
  await screenshotIfFailed(page, context);
  const unexpected = pageErrors.splice(0).filter((error) => !expectedErrors.some((pattern) => pattern.test(error)));
  expectedErrors = [];
  expect(unexpected, 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
});

const status = async (id: string) => (await world.server.services.runs.get(id)).status;
const runStatus = (value: string) => page.locator(`[data-testid=run-status][data-status=${value}]`);

describe('the start form', () => {
  it(
    'edits an array of objects as a list of fields, and names JSON that does not parse instead of calling the field missing',
    async () => {
      await page.goto('/runs');
      await page.getByTestId('start-run').click();
      const dialog = page.getByTestId('start-run-dialog');
      await dialog.getByTestId('start-run-workflow').selectOption('order');
      await dialog.getByTestId('run-input-customer').fill('Ada Lovelace');
      await dialog.getByTestId('run-input-items-add').click();
      await dialog.getByTestId('run-input-items-add').click();
      await dialog.getByTestId('run-input-items-0-sku').fill('TEA-1');
      await dialog.getByTestId('run-input-items-0-qty').fill('2');
      await dialog.getByTestId('run-input-items-1-sku').fill('CUP-9');
      await dialog.getByTestId('run-input-items-1-qty').fill('0');
      await expect.poll(() => dialog.getByTestId('run-input-items-1-qty-problem').textContent(), WAIT).toBe('items.1.qty must be >= 1');
      await dialog.getByTestId('run-input-items-1-qty').fill('6');
      await dialog.getByTestId('run-input-extra').fill('{ "gift": tru');
      const problems = dialog.getByTestId('start-run-problems');
      await expect.poll(() => problems.textContent(), WAIT).toMatch(/To start: extra is not valid JSON/);
      expect(await problems.textContent()).not.toContain('required');
      expect(await dialog.getByTestId('dialog-submit').isDisabled()).toBe(true);
      await dialog.getByTestId('run-input-extra-problem').scrollIntoViewIfNeeded();
      expect(await dialog.getByTestId('run-input-extra-problem').textContent()).toMatch(/^extra is not valid JSON/);
      await screenshot(page, 'start-form-structured');

      await dialog.getByTestId('run-input-extra').fill('{ "gift": true }');
      await expect.poll(() => dialog.getByTestId('dialog-submit').isEnabled(), WAIT).toBe(true);
      await dialog.getByTestId('dialog-submit').click();
      await page.waitForURL(/\/runs\/[^/]+$/, WAIT);
      runs.order = decodeURIComponent(new URL(page.url()).pathname.replace(/^\/runs\//, ''));
      await runStatus('waiting').waitFor(WAIT);
      expect((await world.server.services.runs.get(runs.order)).input).toEqual({ customer: 'Ada Lovelace', items: [{ sku: 'TEA-1', qty: 2 }, { sku: 'CUP-9', qty: 6 }], extra: { gift: true } });
    },
    TEST_TIMEOUT,
  );
});

describe('the cancel dialog', () => {
  it(
    'says "Keep running" beside "Cancel run", and keeping it running changes nothing',
    async () => {
      await page.goto(`/runs/${encodeURIComponent(runs.order)}`);
      await runStatus('waiting').waitFor(WAIT);
      await page.getByTestId('cancel-run').click();
      const dialog = page.getByTestId('cancel-run-dialog');
      await dialog.waitFor(WAIT);
      expect(await dialog.locator('footer button').allTextContents()).toEqual(['Keep running', 'Cancel run']);
      await screenshot(page, 'cancel-dialog');
      await dialog.getByTestId('dialog-close').click();
      await dialog.waitFor({ state: 'detached', ...WAIT });
      expect(await status(runs.order)).toBe('waiting');
    },
    TEST_TIMEOUT,
  );
});

describe('the runs list', () => {
  it(
    'names the node a run waits or failed at by its label, not its id and kind',
    async () => {
      await page.goto('/runs');
      const row = (id: string) => page.getByTestId(`run-row-${id}`);
      await expect.poll(() => row(runs.order).getByTestId('run-row-node').textContent(), WAIT).toBe('Parcel shipped');
      expect(await row(runs.order).textContent()).toMatch(/Parcel shipped\s*signal/);
      await expect.poll(() => row(runs.refuse).getByTestId('run-row-node').textContent(), WAIT).toBe('Refuse the claim');
      expect(await row(runs.ledger).getByTestId('run-row-node').textContent()).toBe('Book it');
      expect(await row(runs.order).getByTestId('run-row-node').getAttribute('title')).toBe('node ship');
      await page.mouse.move(0, 0);
      await screenshot(page, 'runs-list-labels');
    },
    TEST_TIMEOUT,
  );
});

describe('retry', () => {
  it(
    'is not offered for a run that ended at a fail node, and the page says why; a step error keeps it',
    async () => {
      await page.goto(`/runs/${encodeURIComponent(runs.refuse)}`);
      await runStatus('failed').waitFor(WAIT);
      const why = page.getByTestId('retry-unavailable');
      await why.waitFor(WAIT);
      expect(await why.textContent()).toContain('fail node');
      expect(await page.getByTestId('retry-run').count()).toBe(0);
      await page.mouse.move(0, 0);
      await screenshot(page, 'run-no-retry');

      await page.goto(`/runs/${encodeURIComponent(runs.ledger)}`);
      await runStatus('failed').waitFor(WAIT);
      await page.getByTestId('retry-run').waitFor(WAIT);
      expect(await page.getByTestId('retry-unavailable').count()).toBe(0);
      await page.getByTestId('retry-run').click();
      // The step fails the same way again, visibly: a second attempt in the history, and failed once more.
      await expect.poll(async () => (await world.server.services.runs.history(runs.ledger)).filter((event) => event.type === 'runRetried').length, WAIT).toBe(1);
      await expect.poll(() => status(runs.ledger), WAIT).toBe('failed');
    },
    TEST_TIMEOUT,
  );
});
