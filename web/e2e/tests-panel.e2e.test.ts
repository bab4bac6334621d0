// The editor's Tests panel in Chromium against a real server: a real run (a fake model's answer, an
// approval, a signal) saved as a scenario passes when run; once the draft takes another path it fails,
// explained, with its path painted; the coverage overlay marks what no scenario reaches; "run to here"
// shows node outputs on the canvas and marks them stale after an upstream edit; the run page reruns a
// failed run from the step that failed. Screenshots in test-results/screenshots/tests-*.png.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countingServer, sixCalls, type CountingServer } from '../../server/testing/counting-server.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../server/testing/fake-openai.js';
import { lineOfSteps } from '../../server/testing/graphs.js';
import { reviewedOrder, reviewedOrderWithCheck, transformLine } from '../../server/testing/scenario-graphs.js';
import { type BrowserWorld, openEditor, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';

const TEST_TIMEOUT = 120_000;
const WAIT = { timeout: 20_000 };

let world: BrowserWorld;
let page: Page;
let fake: FakeOpenAI;
let endpoint: CountingServer;
const errors: string[] = [];

async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT.timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A real run of the reviewed order: the model answers, the owner approves, `paid` arrives. */
async function realOrderRun(): Promise<string> {
  const { services, engine } = world.server;
  await services.workflows.saveDraft('orders', { name: 'Orders', graph: reviewedOrder() });
  await services.workflows.publish('orders', 'e2e');
  const id = (await services.runs.start('orders', { text: 'invoice 42' })).id;
  const waitsAt = async (node: string) => (await services.runs.get(id)).waitingOn.some((wait) => wait.nodeId === node);
  await until('the approval', () => waitsAt('review'));
  const [task] = await engine.tasksFor({ user: 'owner', admin: true, status: 'pending' });
  await engine.decide(task.id, { by: { user: 'owner', admin: true }, decision: 'approve', comment: 'fine' });
  await until('the paid event', () => waitsAt('paid'));
  await engine.signal(id, 'paid', { amount: 42 });
  await until('the run to complete', async () => (await services.runs.get(id)).status === 'completed');
  return id;
}

async function openTests(slug: string, node?: string) {
  await openEditor(page, slug, node);
  await page.getByTestId('tests-button').click();
  await page.getByTestId('tests-panel').waitFor(WAIT);
}

beforeAll(async () => {
  fake = await startFakeOpenAI([{ content: '{"category":"invoice"}' }]);
  endpoint = await countingServer(['/s4']);
  world = await openWorld({ seed: false, httpAllow: ['127.0.0.1'], ai: { baseURL: fake.baseURL, models: { default: 'gpt-4o-mini' } } });
  page = watchErrors(world.page, errors);
  await setUpOwner(page);
}, TEST_TIMEOUT);

afterEach(async (context) => {
  await screenshotIfFailed(page, context, 'failed-tests-');
  // Refusals the tests provoke on purpose show as failed requests in the console.
  expect(errors.splice(0).filter((error) => !/Failed to load resource|status of 4\d\d/.test(error)), 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
  await fake?.close();
  await endpoint?.close();
});

describe('the Tests panel', () => {
  it(
    'saves a real run as a scenario that passes; after an edit that changes the path it fails, explained, its path on the canvas; coverage shows what is never reached',
    async () => {
      await realOrderRun();
      await openTests('orders', 'review');
      expect(await page.getByTestId('tests-empty').textContent()).toContain('No scenarios yet');

      await page.getByTestId('tests-from-run').click();
      await page.getByTestId('save-run-name').fill('paid invoice');
      await page.getByTestId('save-run-form').getByRole('button', { name: 'Save scenario' }).click();
      await page.getByTestId('scenario-paid invoice').waitFor(WAIT);

      await page.getByTestId('tests-run-all').click();
      await expect.poll(() => page.getByTestId('scenario-paid invoice').getAttribute('data-state'), WAIT).toBe('passed');
      expect(await page.getByTestId('tests-summary').textContent()).toBe('1 passed, 0 failed');
      // The path is painted: the nodes it went through are marked on the canvas.
      expect(await page.getByTestId('tests-marks').textContent()).toContain('[data-id="paid"]');
      await screenshot(page, 'tests-passed');

      await page.getByTestId('tests-show-coverage').check();
      expect(await page.getByTestId('tests-missed').textContent()).toContain('rejected');
      expect(await page.getByTestId('tests-marks').textContent()).toMatch(/data-id="rejected"\][^{]*\{[^}]*dashed/);
      await page.getByRole('button', { name: 'Fit view', exact: true }).click();
      await screenshot(page, 'tests-coverage');
      await page.getByTestId('tests-show-coverage').uncheck();

      // The graph now takes another path: a branch between paid and done.
      await world.server.services.workflows.saveDraft('orders', { name: 'Orders', graph: reviewedOrderWithCheck() });
      await openTests('orders', 'review');
      await page.getByTestId('tests-run-all').click();
      await expect.poll(() => page.getByTestId('scenario-paid invoice').getAttribute('data-state'), WAIT).toBe('failed');
      const failures = await page.getByTestId('scenario-failures-paid invoice').textContent();
      expect(failures).toMatch(/path/);
      expect(failures).toContain('check');
      expect(await page.getByTestId('tests-marks').textContent()).toContain('[data-id="check"]');
      await page.getByRole('button', { name: 'Fit view', exact: true }).click();
      await screenshot(page, 'tests-failed');
    },
    TEST_TIMEOUT,
  );

  it(
    'a new scenario from the form: bad values are named before anything is sent, the server names unknown nodes, a good one is saved',
    async () => {
      await world.server.services.workflows.saveDraft('line', { name: 'Line', graph: transformLine() });
      await openTests('line', 'double');
      await page.getByTestId('tests-new').click();
      const form = page.getByTestId('scenario-form');
      await page.getByTestId('scenario-input').fill('{"amount": ');
      await page.getByTestId('scenario-add-step').click();
      await form.getByLabel('Step 1 kind').selectOption('signal');
      await form.getByRole('button', { name: 'Save scenario' }).click();
      expect(await form.textContent()).toContain('a scenario needs a name');
      expect(await form.textContent()).toContain('not JSON');
      expect(await page.getByTestId('step-error-0').textContent()).toContain('the signal name is required');
      await screenshot(page, 'tests-form-errors');

      await page.getByTestId('scenario-name').fill('doubles');
      await page.getByTestId('scenario-input').fill('{"amount": 4}');
      await form.getByLabel('Step 1 kind').selectOption('advance');
      await page.getByTestId('scenario-path').fill('start double label end');
      await page.getByTestId('scenario-output').fill('"total 8"');
      await form.getByRole('button', { name: 'Save scenario' }).click();
      await page.getByTestId('scenario-doubles').waitFor(WAIT);
      await page.getByTestId('scenario-run-doubles').click();
      await expect.poll(() => page.getByTestId('scenario-doubles').getAttribute('data-state'), WAIT).toBe('passed');
    },
    TEST_TIMEOUT,
  );

  it(
    'runs the draft to a node, shows each node’s output on the canvas, and marks later results stale after an upstream edit',
    async () => {
      await openTests('line', 'double');
      await page.locator('.react-flow__node[data-id="label"]').click();
      await page.getByTestId('run-to-here-input').fill('{"amount": 21}');
      await page.getByTestId('run-to-here-go').click();
      await page.getByTestId('trial-card-label').waitFor(WAIT);
      expect(await page.getByTestId('trial-output-double').textContent()).toBe('42');
      expect(await page.getByTestId('trial-output-label').textContent()).toBe('"total 42"');
      await page.getByRole('button', { name: 'Fit view', exact: true }).click();
      expect(await page.getByTestId('trial-card-end').count()).toBe(0);
      expect(await page.getByTestId('run-to-here-summary').textContent()).toContain('Reached label');
      await screenshot(page, 'tests-run-to-here');

      // Edit the upstream step: its result and everything after it are stale, the start is not.
      await page.locator('.react-flow__node[data-id="double"]').click();
      await page.getByTestId('inspector').getByTestId('field-input-expression').fill('amount * 3');
      await expect.poll(() => page.getByTestId('trial-card-label').getAttribute('data-stale'), WAIT).toBe('true');
      expect(await page.getByTestId('trial-card-double').getAttribute('data-stale')).toBe('true');
      expect(await page.getByTestId('trial-card-start').getAttribute('data-stale')).toBe('false');
      await screenshot(page, 'tests-run-to-here-stale');
    },
    TEST_TIMEOUT,
  );
});

describe('rerun from a step on the run page', () => {
  it(
    'a run failed at step 4 of 6 is rerun from step 4 once the endpoint recovers; the two runs link to each other',
    async () => {
      const { services } = world.server;
      await services.workflows.saveDraft('calls', { name: 'Six calls', graph: lineOfSteps(sixCalls(endpoint.url)) });
      await services.workflows.publish('calls', 'e2e');
      const id = (await services.runs.start('calls', { order: 'E-1' })).id;
      await until('the run to fail', async () => (await services.runs.get(id)).status === 'failed');
      endpoint.failing.delete('/s4');

      await page.goto(`/runs/${id}`);
      await page.getByTestId('run-graph').waitFor(WAIT);
      await page.locator('[data-testid="run-graph"] .react-flow__node[data-id="s4"]').click();
      await page.getByTestId('rerun-from-here').click();
      await page.getByTestId('rerun-dialog').getByRole('button', { name: 'Rerun' }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/runs/') && !url.pathname.endsWith(id), WAIT);
      await expect.poll(async () => page.getByTestId('run-status').textContent(), WAIT).toMatch(/completed/i);
      expect(await page.getByTestId('rerun-of').textContent()).toContain('from s4');
      expect(endpoint.counts).toEqual({ '/s1': 1, '/s2': 1, '/s3': 1, '/s4': 2, '/s5': 1, '/s6': 1 });
      await screenshot(page, 'tests-rerun-new-run');

      await page.goto(`/runs/${id}`);
      await page.getByTestId('reruns').waitFor(WAIT);
      expect(await page.getByTestId('reruns').textContent()).toContain('from s4');
    },
    TEST_TIMEOUT,
  );
});
