// Checks that match the engine, in the browser (issue 13): the problems panel lists problems and
// warnings naming node and field; a click selects the node and puts the caret in the field; the
// inspector's Fixed/Expression switch and its fix for a bare condition. Writes screenshots.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../server/testing/graphs.js';
import { type BrowserWorld, editDraft, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';

const TEST_TIMEOUT = 60_000;
const WAIT = { timeout: 15_000 };

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

afterAll(async () => {
  await world?.close();
});

/** start → check (a bare condition) → review (no timeout, rejected open) → pay (http.request without url) → done ("approved"). */
const graph = () => {
  const built = buildGraph(
    [
      ['start', 'start', { inputSchema: { type: 'object', properties: { amount: { type: 'number' } } } }],
      ['check', 'branch', { condition: 'input.amount > 100' }],
      ['review', 'approval', { title: 'Pay {{ input.amount }}?', assignees: { roles: ['manager'] } }],
      ['pay', 'step', { action: 'http.request', input: { method: 'POST' } }],
      ['done', 'end', { output: 'approved' }],
    ],
    ['start.next -> check', 'check.true -> review', 'check.false -> done', 'review.approved -> pay', 'pay.ok -> done', 'pay.error -> done'],
  );
  return { ...built, nodes: built.nodes.map((node, index) => ({ ...node, position: { x: index * 280, y: index % 2 ? 120 : 0 } })) };
};

const activeTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const selectedNode = async () => (await page.getByTestId('inspector').getByTestId('node-id-input').inputValue());

describe('checks that match the engine, in the editor', () => {
  it(
    'lists problems and warnings; a click selects the node and focuses the field; fixes clear them',
    async () => {
      await editDraft(world, 'checks', { name: 'Checks', graph: graph() });
      const panel = page.getByTestId('problems');
      await panel.getByText('2 problems · 2 warnings').waitFor(WAIT);
      expect(await page.getByTestId('problem-EXPRESSION_NOT_BRACED-check').innerText()).toContain('write {{ input.amount > 100 }}');
      await screenshot(page, 'checks-problems');

      await page.getByTestId('problem-EXPRESSION_NOT_BRACED-check').click();
      await expect.poll(selectedNode, WAIT).toBe('check');
      await expect.poll(activeTestId, WAIT).toBe('field-condition');
      await screenshot(page, 'checks-condition-focused');
      await page.getByTestId('field-condition-brace').click();
      await expect.poll(() => page.getByTestId('field-condition').inputValue(), WAIT).toBe('{{ input.amount > 100 }}');

      await page.getByTestId('problem-ACTION_INPUT_INVALID-pay').click();
      await expect.poll(selectedNode, WAIT).toBe('pay');
      await expect.poll(activeTestId, WAIT).toBe('field-input-url');
      await page.getByTestId('field-input-url').fill('https://example.com/pay');
      await panel.getByText('No problems · 2 warnings').waitFor(WAIT);

      await page.getByTestId('warning-NO_TIMEOUT-review').click();
      await expect.poll(selectedNode, WAIT).toBe('review');
      await expect.poll(activeTestId, WAIT).toBe('field-timeout');
      await screenshot(page, 'checks-warnings');
    },
    TEST_TIMEOUT,
  );

  it(
    "shows end.output \"approved\" as Fixed, and switches to an expression only when asked",
    async () => {
      await page.getByRole('button', { name: 'Fit view' }).click();
      await page.getByTestId('node-done').click();
      await expect.poll(selectedNode, WAIT).toBe('done');
      expect(await page.getByTestId('field-output-mode-fixed').getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByTestId('field-output').inputValue()).toBe('approved');
      await screenshot(page, 'checks-fixed-value');
      await page.getByTestId('field-output-mode-expression').click();
      await expect.poll(() => page.getByTestId('field-output').inputValue(), WAIT).toBe('{{ "approved" }}');
      await screenshot(page, 'checks-expression-value');
      await page.getByTestId('field-output-mode-fixed').click();
      await expect.poll(() => page.getByTestId('field-output').inputValue(), WAIT).toBe('approved');
    },
    TEST_TIMEOUT,
  );
});
