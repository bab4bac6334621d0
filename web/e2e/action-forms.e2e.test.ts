// Action forms and expression help in the browser (issue 13): an http.request step configured through
// the form made from its declared input (URL with autocomplete of input.…, method as a choice,
// headers as rows, a body expression), published and run against a local API; the next node's
// autocomplete offers nodes.fetch.status and its preview shows the last run's value; switching the
// action drops the fields the new one lacks, and undo brings them back. Writes screenshots.
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../server/testing/graphs.js';
import { type BrowserWorld, editDraft, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';

const TEST_TIMEOUT = 90_000;
const WAIT = { timeout: 15_000 };

let world: BrowserWorld;
let page: Page;
let api: Server;
let apiUrl: string;
const received: { method?: string; url?: string; headers: Record<string, unknown>; body: string }[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  // The order API the step calls: records what it got, answers 201 with JSON.
  api = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, headers: request.headers, body });
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: true, id: 'ord-9' }));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  world = await openWorld({ seed: false, httpAllow: ['127.0.0.1'] });
  page = world.page;
  watchErrors(page, pageErrors);
  await setUpOwner(page);
}, 120_000);

afterEach(async (context) => {
  await screenshotIfFailed(page, context);
  expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
  await new Promise((resolve) => api?.close(resolve));
});

/** start (orderId, amount) → fetch (a fresh step: log) → note (log) → done. */
const graph = () => {
  const built = buildGraph(
    [
      ['start', 'start', { inputSchema: { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string', title: 'Order' }, amount: { type: 'number' } } } }],
      ['fetch', 'step', { action: 'log', input: { message: 'Hello' } }],
      ['note', 'step', { action: 'log', input: { message: 'Order sent' } }],
      ['done', 'end', {}],
    ],
    ['start.next -> fetch', 'fetch.ok -> note', 'note.ok -> done'],
  );
  return { ...built, nodes: built.nodes.map((node, index) => ({ ...node, position: { x: index * 260, y: 0 } })) };
};

const inspector = () => page.getByTestId('inspector');
const selectNode = (id: string) => page.getByTestId(`node-${id}`).locator('.cairn-node__title').click();
const waitSaved = () => page.getByTestId('save-state').filter({ hasText: /^Saved$/ }).waitFor(WAIT);
const options = async () => (await page.getByTestId('completion-option').locator('code').allTextContents()).sort();
const draftNode = async (id: string) => (await world.server.services.workflows.get('orders')).draft.nodes.find((node) => node.id === id)!;

describe('action forms', () => {
  it(
    'configures an http.request step through its form, with autocomplete, and runs it',
    async () => {
      await editDraft(world, 'orders', { name: 'Orders', graph: graph() });
      await selectNode('fetch');
      await inspector().locator('[data-testid=inspector-form][data-kind=step]').waitFor(WAIT);
      await inspector().getByTestId('field-action').selectOption('http.request');
      // The form of http.request: its fields, titles and marks from the declared input.
      const form = inspector().getByTestId('field-input');
      await expect.poll(() => form.getAttribute('data-action'), WAIT).toBe('http.request');
      expect(await form.locator('[data-testid$="-row"] > .cairn-inspector__field-head .cairn-inspector__field-title').allTextContents()).toEqual(['Method', 'URL', 'Headers', 'Body', 'Timeout', 'Credential']);
      await inspector().getByTestId('field-input-url-required').waitFor(WAIT);
      // The stored credential is optional: this API needs none, and it stays unset.
      expect(await inspector().getByTestId('field-input-credential-required').count()).toBe(0);
      // The message of log was dropped with the switch.
      await waitSaved();
      expect((await draftNode('fetch')).config.input).toEqual({});

      const url = inspector().getByTestId('field-input-url');
      await url.fill(`${apiUrl}/orders/`);
      await url.pressSequentially('{{ input.or');
      await expect.poll(options, WAIT).toEqual(['orderId']);
      await screenshot(page, 'action-forms-autocomplete');
      await url.press('Enter');
      await url.pressSequentially(' }}');
      expect(await url.inputValue()).toBe(`${apiUrl}/orders/{{ input.orderId }}`);
      expect(await inspector().getByTestId('field-input-url-mode-expression').getAttribute('aria-pressed')).toBe('true');

      await inspector().getByTestId('field-input-method').selectOption({ label: 'POST' });
      await inspector().getByTestId('field-input-headers-add').click();
      await inspector().getByTestId('field-input-headers-key-0').fill('X-Order');
      await inspector().getByTestId('field-input-headers-value-0').fill('{{ input.orderId }}');
      await inspector().getByTestId('field-input-body-mode-expression').click();
      await inspector().getByTestId('field-input-body').fill('{{ { "amount": input.amount } }}');
      await inspector().getByTestId('field-input-timeout').fill('5s');
      await page.getByTestId('problems').getByText(/^No problems/).waitFor(WAIT);
      await waitSaved();
      await screenshot(page, 'action-forms-http-request');
      expect((await draftNode('fetch')).config).toMatchObject({
        action: 'http.request',
        input: { url: `${apiUrl}/orders/{{ input.orderId }}`, method: 'POST', headers: { 'X-Order': '{{ input.orderId }}' }, body: '{{ { "amount": input.amount } }}', timeout: '5s' },
      });

      // Published and run: the request the form describes is the one the API receives.
      await world.server.services.workflows.publish('orders');
      const run = await world.server.services.runs.start('orders', { orderId: 'A-17', amount: 40 });
      await expect.poll(async () => (await world.server.services.runs.get(run.id)).status, WAIT).toBe('completed');
      expect(received).toMatchObject([{ method: 'POST', url: '/orders/A-17', headers: { 'x-order': 'A-17' }, body: '{"amount":40}' }]);
      expect(received[0].headers.authorization).toBeUndefined();
      expect((await draftNode('fetch')).config.input).not.toHaveProperty('credential');
    },
    TEST_TIMEOUT,
  );

  it(
    'the next node offers nodes.fetch.… and previews against the last run; switching the action is undoable',
    async () => {
      await page.reload();
      await page.getByTestId('canvas').waitFor(WAIT);
      await selectNode('note');
      const message = inspector().getByTestId('field-input-message');
      await message.waitFor(WAIT);
      await message.fill('Order ');
      await message.pressSequentially('{{ nodes.');
      await expect.poll(options, WAIT).toEqual(['fetch', 'start']);
      await message.pressSequentially('fetch.');
      await expect.poll(options, WAIT).toEqual(['body', 'headers', 'status']);
      await message.pressSequentially('st');
      await message.press('Tab');
      await message.pressSequentially(' }} ({{ nodes.fetch.body.id }})');
      const preview = inspector().getByTestId('field-input-message-preview');
      await expect.poll(() => preview.textContent(), WAIT).toContain('"Order 201 (ord-9)"');
      await screenshot(page, 'action-forms-preview');
      await message.fill('{{ nodes.fetch.status + }}');
      await expect.poll(() => preview.getAttribute('data-state'), WAIT).toBe('error');
      await message.fill('Order sent');
      await waitSaved();

      // Switching fetch to log keeps nothing http.request had; undo restores them all.
      await selectNode('fetch');
      await inspector().getByTestId('field-action').selectOption('log');
      await expect.poll(() => inspector().getByTestId('field-input').getAttribute('data-action'), WAIT).toBe('log');
      expect(await inspector().getByTestId('field-input-url').count()).toBe(0);
      await waitSaved();
      expect((await draftNode('fetch')).config.input).toEqual({});
      await screenshot(page, 'action-forms-switched');
      await page.getByTestId('undo').click();
      await expect.poll(() => inspector().getByTestId('field-input-url').inputValue(), WAIT).toBe(`${apiUrl}/orders/{{ input.orderId }}`);
      expect(await inspector().getByTestId('field-input-method').inputValue()).toBe('"POST"');
      await waitSaved();
      expect((await draftNode('fetch')).config).toMatchObject({ action: 'http.request', input: { method: 'POST', timeout: '5s' } });
    },
    TEST_TIMEOUT,
  );
});
