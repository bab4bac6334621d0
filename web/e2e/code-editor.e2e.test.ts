// The code step's editor in the browser: a code step's Code field is CodeMirror 6 with JavaScript
// highlighting; typing a syntax error puts a marker on its line and says where under the editor, the
// same as publish does; fixing it clears both, the edit is saved to the draft, and the published
// workflow runs the code. Writes screenshots code-editor-*.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../server/testing/graphs.js';
import { type BrowserWorld, editDraft, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';

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

afterAll(() => world?.close());

const CODE = 'async (input, ctx) => {\n  const total = input.items.reduce((sum, item) => sum + item.price, 0);\n  console.log("total", total);\n  return { total };\n}';

const graph = () => {
  const built = buildGraph(
    [
      ['start', 'start', {}],
      ['calc', 'step', { action: 'code', input: { code: CODE, input: '{{ input }}' } }],
      ['done', 'end', { output: '{{ nodes.calc.total }}' }],
    ],
    ['start.next -> calc', 'calc.ok -> done'],
  );
  return { ...built, nodes: built.nodes.map((node, index) => ({ ...node, position: { x: index * 280, y: 0 } })) };
};

const editor = () => page.getByTestId('inspector').locator('.cm-editor');
const draftCode = async () => ((await world.server.services.workflows.get('totals')).draft.nodes.find((node) => node.id === 'calc')!.config as { input: { code?: string } }).input.code;

describe('the code editor', () => {
  it('highlights JavaScript, marks a syntax error on its line, and saves the fixed code', async () => {
    await editDraft(world, 'totals', { name: 'Totals', graph: graph() });
    await page.getByTestId('node-calc').locator('.cairn-node__title').click();
    await editor().waitFor(WAIT);
    // Highlighted: keywords and strings are tokens with their own classes, not plain text.
    const content = editor().locator('.cm-content');
    await expect.poll(() => content.locator('span').count(), WAIT).toBeGreaterThan(5);
    const styled = await content.locator('span').evaluateAll((spans) => new Set(spans.map((span) => getComputedStyle(span).color)).size);
    expect(styled).toBeGreaterThan(1);
    expect(await editor().locator('.cm-lineNumbers .cm-gutterElement').count()).toBeGreaterThanOrEqual(5);
    await screenshot(page, 'code-editor-highlighted');

    // Break line 3 (a dangling +): the parser stops at line 4's `return`. The marker sits in the gutter
    // and under the token; the field's problem names the line and column, as publish does.
    await editor().locator('.cm-line').nth(2).click();
    await page.keyboard.press('End');
    await page.keyboard.type(' +');
    await page.getByTestId('field-input-code-problem').filter({ hasText: /code does not parse: Unexpected token \(line 4, column 3\)/ }).waitFor(WAIT);
    await editor().locator('.cm-lintRange-error').first().waitFor(WAIT);
    await editor().locator('.cm-lint-marker-error').first().waitFor(WAIT);
    await screenshot(page, 'code-editor-syntax-error');
    await expect.poll(draftCode, WAIT).toContain('console.log("total", total); +');

    // Publish refuses it with the same position.
    const refused = await world.server.services.workflows.publish('totals').catch((error: Error) => error);
    expect(String((refused as { details?: unknown }).details ? JSON.stringify((refused as { details?: unknown }).details) : refused)).toMatch(/line 4, column 3/);

    // Undo the two characters: the marker and message go, the fixed code is saved, and it runs.
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.getByTestId('field-input-code-problem').waitFor({ state: 'detached', ...WAIT });
    await expect.poll(draftCode, WAIT).toBe(CODE);
    await expect.poll(() => editor().locator('.cm-lintRange-error').count(), WAIT).toBe(0);
    const { version } = await world.server.services.workflows.publish('totals');
    expect(version).toBe(1);
    const run = await world.server.services.runs.start('totals', { items: [{ price: 2 }, { price: 5 }] });
    await expect.poll(async () => (await world.server.services.runs.get(run.id)).status, { timeout: 30_000 }).toBe('completed');
    expect((await world.server.services.runs.get(run.id)).output).toBe(7);
  }, 120_000);
});
