// AI → human fallback (issue 20) in Debian's Chromium against a real server whose model is a fake
// OpenAI-compatible provider on 127.0.0.1: the model answers badly twice (the second time after a
// repair turn), so the run hands the answer to a person. The inbox task shows the output schema as a
// form, prefilled with the model's best attempt, and what was wrong with it; the person corrects it
// and approves, the form becomes the AI node's `ok` output and the run completes. The run page's AI
// panel shows each call with its tokens and the estimated cost.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../server/testing/graphs.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../server/testing/fake-openai.js';
import { type BrowserWorld, openWorld, screenshot, screenshotIfFailed, setUpOwner, watchErrors } from './browser.js';

const TEST_TIMEOUT = 90_000;
const WAIT = { timeout: 15_000 };

const outputSchema = {
  type: 'object',
  required: ['label', 'priority', 'summary'],
  properties: {
    label: { type: 'string', title: 'Label', enum: ['bug', 'question'] },
    priority: { type: 'integer', title: 'Priority', minimum: 1, maximum: 3 },
    summary: { type: 'string', title: 'Summary' },
  },
};

let world: BrowserWorld;
let page: Page;
let fake: FakeOpenAI;
const errors: string[] = [];
let runId = '';

beforeAll(async () => {
  const usage = { prompt_tokens: 1_200, completion_tokens: 80, total_tokens: 1_280 };
  fake = await startFakeOpenAI([
    { content: 'Sure! It is a bug, priority 9.', usage },
    { content: '```json\n{"label":"bug","priority":7,"summary":"The app crashes when saving"}\n```', usage },
  ]);
  world = await openWorld({
    seed: false,
    ai: { baseURL: fake.baseURL, models: { default: 'gpt-4o-mini' }, prices: { default: { input: 0.15, output: 0.6 } } },
  });
  page = watchErrors(world.page, errors);
  await setUpOwner(page);
  const graph = buildGraph(
    [
      ['start', 'start'],
      ['classify', 'ai', { prompt: 'Classify this ticket: {{ input.text }}', outputSchema, humanFallback: { users: ['owner'] } }],
      ['done', 'end', { output: '{{ nodes.classify }}' }],
      ['rescue', 'end', { output: '{{ nodes.classify }}' }],
    ],
    ['start.next -> classify', 'classify.ok -> done', 'classify.fallback -> rescue'],
  );
  graph.nodes[1].label = 'Classify ticket';
  const { workflows, runs } = world.server.services;
  await workflows.saveDraft('triage', { name: 'Ticket triage', graph });
  await workflows.publish('triage', 'e2e');
  runId = (await runs.start('triage', { text: 'the app crashes when I save' })).id;
  const deadline = Date.now() + WAIT.timeout;
  while ((await runs.get(runId)).status !== 'waiting') {
    if (Date.now() > deadline) throw new Error(`run ${runId} did not reach the person's task`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 120_000);

afterEach(async (context) => {
  await screenshotIfFailed(page, context);
  expect(errors.splice(0), 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
  await fake?.close();
});

describe('AI → human fallback', () => {
  it(
    'the inbox task shows the output schema as a form prefilled with the best attempt and its errors; approving continues the run',
    async () => {
      const taskId = `${runId}:classify:1`;
      await page.goto(`/inbox/${encodeURIComponent(taskId)}`);
      await page.getByTestId('task-title').waitFor(WAIT);
      expect(await page.getByTestId('task-title').textContent()).toContain('Classify ticket');
      // The model's best attempt (the second, in a code fence) fills the form; what was wrong is listed.
      expect(await page.getByTestId('task-form-label').inputValue()).toBe('"bug"');
      expect(await page.getByTestId('task-form-priority').inputValue()).toBe('7');
      expect(await page.getByTestId('task-form-summary').inputValue()).toBe('The app crashes when saving');
      const details = await page.getByTestId('task-details').textContent();
      expect(details).toContain('priority must be <= 3');
      expect(details).toContain('Its best answer is filled in below');
      await screenshot(page, 'ai-human-task');

      // Approving as it is: the browser checks the form as the server will.
      await page.getByTestId('approve').click();
      await page.getByTestId('task-form-problems').waitFor(WAIT);
      expect(await page.getByTestId('task-form-problems').textContent()).toContain('priority');

      await page.getByTestId('task-form-priority').fill('2');
      await page.getByTestId('approve').click();
      await page.getByTestId('inbox-page').waitFor(WAIT);
      await expect.poll(async () => (await world.server.services.runs.get(runId)).status, WAIT).toBe('completed');
      expect((await world.server.services.runs.get(runId)).output).toEqual({ label: 'bug', priority: 2, summary: 'The app crashes when saving' });
      // The second request was a repair turn carrying the first answer and its error.
      expect(fake.requests[1].body.messages.at(-2)).toEqual({ role: 'assistant', content: 'Sure! It is a bug, priority 9.' });
    },
    TEST_TIMEOUT,
  );

  it(
    'the run page lists each AI call with its outcome, tokens and the estimated cost',
    async () => {
      await page.goto(`/runs/${runId}`);
      await page.getByTestId('ai-attempts').waitFor(WAIT);
      expect(await page.getByTestId('ai-attempt-row').count()).toBe(2);
      const totals = await page.getByTestId('ai-totals').textContent();
      expect(totals).toContain('2,400 in · 160 out tokens');
      // 2 × (1,200 × 0.15 + 80 × 0.6) / 1e6 = $0.000456
      expect(await page.getByTestId('ai-cost').textContent()).toBe('≈ $0.00046');
      const rows = await page.getByTestId('ai-attempt-row').allTextContents();
      expect(rows[0]).toContain('MALFORMED_JSON');
      expect(rows[0]).toContain('sent back for repair');
      expect(rows[1]).toContain('SCHEMA_VIOLATION');
      expect(rows[1]).toContain('handed to a person');
      await page.getByTestId('ai-attempts').scrollIntoViewIfNeeded();
      await screenshot(page, 'ai-run-panel');
    },
    TEST_TIMEOUT,
  );
});
