// Describe a workflow and eval sets (issue 20) in Debian's Chromium against a real server whose
// model is a fake OpenAI-compatible provider on 127.0.0.1. Describe: seed 000's order fulfilment
// description, typed on the workflows page, opens as a valid unpublished draft after two repair
// turns, with a review line per node; a follow-up instruction shows a diff; rejecting restores the
// draft; accepting and then one Undo removes the whole AI turn. Evals: the editor's Run evals scores
// a regression (scripted worse answers) 0.625 against version 1's 1, and publishing is refused
// naming the node and the score. Screenshots ai-describe-*, ai-evals-*.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateGraph } from '../../shared/validate.js';
import { SEED_DESCRIPTIONS, orderFirstTry, orderGraph, orderSecondTry } from '../../server/testing/described-workflows.js';
import { good, triageGraph, triageSet, worse } from '../../server/testing/eval-fixtures.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../server/testing/fake-openai.js';
import { type BrowserWorld, openEditor, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';

const TEST_TIMEOUT = 120_000;

/** A reminder two days after the review request: two new nodes in place of one edge. */
const reminder = {
  nodes: [
    { id: 'wait_2d', kind: 'wait', label: 'Wait 2 days', config: { duration: '2d' } },
    { id: 'remind', kind: 'step', label: 'Send a reminder', config: { action: 'http.request', input: { method: 'POST', url: 'https://mail.example.com/send', body: { template: 'reminder' } } } },
  ],
  removeEdges: ['review-ok-done'],
  edges: [
    { id: 'e-r1', source: 'review', sourcePort: 'ok', target: 'wait_2d' },
    { id: 'e-r2', source: 'wait_2d', sourcePort: 'next', target: 'remind' },
    { id: 'e-r3', source: 'remind', sourcePort: 'ok', target: 'done' },
  ],
};
const json = (value: unknown) => ({ content: JSON.stringify(value) });

let world: BrowserWorld;
let page: Page;
let fake: FakeOpenAI;
const errors: string[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAI([
    ...good, // version 1's publish gate
    json({ name: 'Order fulfilment', graph: orderFirstTry }),
    json({ name: 'Order fulfilment', graph: orderSecondTry }),
    json({ name: 'Order fulfilment', graph: orderGraph }),
    json(reminder), // rejected
    json(reminder), // accepted, then undone
    ...worse, // Run evals
    ...worse, // the refused publish
  ]);
  world = await openWorld({ seed: false, ai: { baseURL: fake.baseURL, models: { default: 'gpt-4o-mini' } } });
  page = watchErrors(world.page, errors);
  await setUpOwner(page);
  const { workflows, evals } = world.server.services;
  await workflows.saveDraft('triage', { name: 'Ticket triage', graph: triageGraph() });
  await evals!.put('triage', triageSet);
  await workflows.publish('triage', 'first');
  await workflows.saveDraft('triage', { graph: triageGraph('Label: {{ vars.text }}') });
}, 120_000);

afterEach(async (context) => {
  await screenshotIfFailed(page, context);
  // The refused publish is a 422 the page shows; Chromium logs its response too.
  expect(errors.splice(0).filter((error) => !/status of 422/.test(error)), 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
  await fake?.close();
});

/** The editor autosaves: the draft on the server is what the editor holds (the canvas draws only the nodes in view). */
const nodeIds = async () => (await world.server.services.workflows.get('order-fulfilment')).draft.nodes.map((node) => node.id).sort();

describe('describing a workflow in the browser', () => {
  it(
    'opens a described draft with its review; a follow-up shows a diff, reject restores, undo removes a whole AI turn',
    async () => {
      await page.goto('/');
      await page.getByTestId('describe-text').fill(SEED_DESCRIPTIONS.order);
      await screenshot(page, 'ai-describe-box');
      await page.getByTestId('describe-submit').click();
      await page.waitForURL(/\/workflows\/order-fulfilment\?review=ai$/);
      await page.getByTestId('ai-review').waitFor();
      const lines = await page.getByTestId('ai-review').locator('li').allInnerTexts();
      expect(lines).toHaveLength(orderGraph.nodes.length);
      expect(lines[1]).toMatch(/step\s+Reserve inventory \(reserve\): runs http\.request/);
      expect(lines[3]).toMatch(/event\s+Warehouse confirmation \(warehouse\): waits for the signal "warehouse_confirmed", times out after 24h/);
      await page.locator('.react-flow__node[data-id="reserve"]').waitFor();
      await screenshot(page, 'ai-describe-review');
      const stored = await world.server.services.workflows.get('order-fulfilment');
      expect(stored.versions).toEqual([]);
      expect(validateGraph(stored.draft).ok).toBe(true);
      const drafted = await nodeIds();
      expect(drafted).toHaveLength(9);

      // A follow-up: shown on the canvas and as a diff; rejecting restores the draft.
      await page.getByTestId('ai-review-close').click();
      await page.getByTestId('ai-instruction').fill('add a reminder 2 days after the review request');
      await page.getByTestId('ai-ask').click();
      await page.getByTestId('ai-proposal').waitFor();
      await expect.poll(nodeIds, { timeout: 10_000 }).toEqual([...drafted, 'remind', 'wait_2d'].sort());
      expect(await page.getByTestId('diff-entry-wait_2d').getAttribute('data-mark')).toBe('added');
      expect(await page.getByTestId('diff-entry-remind').getAttribute('data-mark')).toBe('added');
      await expect.poll(() => page.getByTestId('ai-diff').locator('tbody').count()).toBe(6); // 2 nodes, 3 edges added, 1 removed
      await screenshot(page, 'ai-describe-diff');
      await page.getByTestId('ai-reject').click();
      await expect.poll(nodeIds, { timeout: 10_000 }).toEqual(drafted);
      expect(await page.getByTestId('ai-notice').innerText()).toBe('Rejected: the draft is as it was.');

      // Accepted, then one Undo takes the whole turn back (two nodes, three edges, one removal).
      await page.getByTestId('ai-ask').click();
      await page.getByTestId('ai-accept').click();
      await expect.poll(nodeIds, { timeout: 10_000 }).toHaveLength(11);
      await page.getByTestId('undo').click();
      await expect.poll(nodeIds, { timeout: 10_000 }).toEqual(drafted);
      await expect.poll(async () => (await world.server.services.workflows.get('order-fulfilment')).draft.edges.map((edge) => edge.id).sort(), { timeout: 10_000 }).toEqual(orderGraph.edges.map((edge) => edge.id).sort());
      await screenshot(page, 'ai-describe-undone');
      expect(fake.requests).toHaveLength(good.length + 5);
    },
    TEST_TIMEOUT,
  );
});

describe('eval sets in the browser', () => {
  it(
    'Run evals scores a regression against version 1 and publishing is refused naming the node and the score',
    async () => {
      await openEditor(page, 'triage', 'classify');
      await page.getByTestId('evals-button').click();
      await page.getByTestId('evals-drawer').waitFor();
      // The drawer fills its editor once the node's set has loaded: wait for it.
      await expect.poll(async () => JSON.parse((await page.getByTestId('eval-set-json').inputValue()) || 'null'), { timeout: 15_000 }).toEqual({ threshold: 0.75, cases: triageSet.cases });
      await page.getByTestId('eval-run').click();
      await page.getByTestId('eval-results').waitFor();
      // The results, the comparison and the scores per version arrive in turn: wait for each.
      await expect.poll(() => page.getByTestId('eval-score-classify').innerText(), { timeout: 15_000 }).toBe('0.625');
      expect(await page.getByTestId('eval-node-classify').locator('h4').innerText()).toContain('threshold 0.75: below — publishing is blocked');
      expect(await page.getByTestId('eval-case-invoice is billing').getAttribute('data-passed')).toBe('false');
      expect(await page.getByTestId('eval-case-invoice is billing').innerText()).toContain(`assert: the assertion "answer.label = 'billing'" gave false, not true`);
      await expect.poll(() => page.getByTestId('eval-compare').innerText(), { timeout: 15_000 }).toBe('Version 1 scored 1; the draft scores 0.625 (-0.375).');
      await expect.poll(() => page.getByTestId('eval-versions').innerText(), { timeout: 15_000 }).toMatch(/draft\s+0\.625\s+v1\s+1/);
      await screenshot(page, 'ai-evals-regression');

      // A bad JSONata assertion is refused naming the case.
      await page.getByTestId('eval-set-json').fill(JSON.stringify({ cases: [{ name: 'broken', vars: { text: 'x' }, expect: { assert: 'answer.label = (' } }] }));
      await page.getByTestId('eval-save').click();
      expect(await page.getByTestId('eval-error').innerText()).toMatch(/case "broken": the assertion is not valid JSONata/);

      await page.getByRole('button', { name: 'Close evals' }).click();
      await page.getByTestId('publish').click();
      await page.getByTestId('publish-confirm').click();
      const refusal = page.getByTestId('publish-dialog').locator('.cairn-error');
      await refusal.waitFor();
      expect(await refusal.innerText()).toContain('node "classify" scores 0.625 on its eval set, below its threshold 0.75');
      await screenshot(page, 'ai-evals-publish-blocked');
      expect((await world.server.services.workflows.versions('triage')).map((entry) => entry.version)).toEqual([1]);
    },
    TEST_TIMEOUT,
  );
});
