// An approval's policy in the inbox (issue 19), in Debian's Chromium against a real server: a 2-of-3
// quorum's progress in the list and on the task ("1 of 2 approved"), self-approval refused to the
// person who started the run (with the reason), a delegation set in Settings (its refusals shown as
// the server words them), and the delegate deciding "on behalf of", as the decision record says.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../server/testing/graphs.js';
import { type BrowserWorld, openEditor, openWorld, screenshot, screenshotIfFailed, setUpOwner } from './browser.js';
import { signIn } from './sessions.js';

const TEST_TIMEOUT = 90_000;
const WAIT = { timeout: 15_000 };
const PASSWORD = 'decides things';
const person = (username: string, name: string) => ({ username, name, password: PASSWORD, roles: ['approver'] });
const EVE = person('eve', 'Eve Requester');
const ANN = person('ann', 'Ann Approver');
const BOB = person('bob', 'Bob Approver');
const DAN = person('dan', 'Dan Deputy');

let world: BrowserWorld;
let page: Page;
const pageErrors: string[] = [];
let switchingUser = false;
let taskId = '';
let runId = '';

beforeAll(async () => {
  world = await openWorld({ seed: false });
  page = world.page;
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(String(error.stack ?? error)));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = `${message.text()} (${message.location().url})`;
    // Refusals the test provokes (403 for eve, 409/422 for bad delegations) are logged by the browser.
    if (!/status of (401|403|404|409|422) .*\/trpc\//.test(text) || (!switchingUser && /status of 401/.test(text))) pageErrors.push(text);
  });
  await setUpOwner(page);
  const { accounts, workflows, runs } = world.server.services;
  for (const user of [EVE, ANN, BOB, DAN]) await accounts.createUser(user);
  const graph = buildGraph(
    [
      ['start', 'start'],
      ['review', 'approval', { title: 'Pay {{ input.what }}?', assignees: { users: ['ann', 'bob', 'eve'] }, approvalsNeeded: 2, forbidSelfApproval: true }],
      ['yes', 'end'],
      ['no', 'end'],
    ],
    ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no'],
  );
  await workflows.saveDraft('expense', { name: 'Expense', graph });
  await workflows.publish('expense', 'e2e');
  runId = (await runs.start('expense', { what: 'a conference trip' }, undefined, undefined, 'eve')).id;
  taskId = `${runId}:review:1`;
  const deadline = Date.now() + WAIT.timeout;
  while ((await runs.get(runId)).status !== 'waiting') {
    if (Date.now() > deadline) throw new Error('the run did not reach its approval');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 120_000);

afterEach(async (context) => {
  await screenshotIfFailed(page, context);
  expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
});

async function switchUser(who: { username: string; password: string }, at: string): Promise<void> {
  switchingUser = true;
  try {
    await signIn(page, who, at);
  } finally {
    switchingUser = false;
  }
}

const OWNER = { username: 'owner', password: 'a long enough secret' };
const row = () => page.getByTestId(`task-row-${taskId}`);
const taskUrl = () => `/inbox/${encodeURIComponent(taskId)}`;

describe('approval policy in the inbox', () => {
  it(
    'shows the quorum, and one approval leaves the task waiting for the second',
    async () => {
      await switchUser(ANN, '/inbox');
      await expect.poll(() => row().getByTestId('task-row-progress').textContent(), WAIT).toBe('0 of 2 approved');
      await row().getByTestId('task-row-title').click();
      await page.getByTestId('task-policy').waitFor(WAIT);
      expect(await page.getByTestId('task-progress').textContent()).toContain('0 of 2 approved');
      expect(await page.getByTestId('task-forbidden').textContent()).toContain('eve may not decide');
      await screenshot(page, 'approval-policy-quorum');
      await page.getByTestId('approve').click();
      await page.getByTestId('inbox-page').waitFor(WAIT);
      // Decided by her, it waits for the second approval under Decided by me.
      await row().waitFor({ state: 'detached', ...WAIT });
      await page.getByTestId('inbox-tab-decided').click();
      await expect.poll(() => row().getByTestId('task-row-progress').textContent(), WAIT).toBe('1 of 2 approved');
      expect((await world.server.engine.task(taskId)).status).toBe('pending');
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses the person who started the run, saying self-approval is forbidden',
    async () => {
      await switchUser(EVE, '/inbox');
      await page.getByTestId('inbox-page').waitFor(WAIT);
      expect(await row().count()).toBe(0);
      await page.goto(taskUrl());
      const refusal = page.getByTestId('task-load-error');
      await refusal.waitFor(WAIT);
      expect(await refusal.textContent()).toContain('self-approval is forbidden');
      await screenshot(page, 'approval-policy-self-approval');
    },
    TEST_TIMEOUT,
  );

  it(
    'sets a delegation in Settings, showing the refusals, then the delegate decides on behalf of',
    async () => {
      await switchUser(BOB, '/inbox');
      await page.getByTestId('inbox-delegate').click();
      await page.getByTestId('delegation-form').waitFor(WAIT);
      // Nothing named, then oneself, then a stranger: each refused with its reason, nothing stored.
      await page.getByTestId('delegation-submit').click();
      expect(await page.getByTestId('delegation-error').textContent()).toContain('Name the person');
      await page.getByTestId('delegation-to').fill('bob');
      await page.getByTestId('delegation-submit').click();
      expect(await page.getByTestId('delegation-error').textContent()).toContain('Choose when you are back');
      const until = new Date(Date.now() + 7 * 86_400_000);
      const local = new Date(until.getTime() - until.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
      await page.getByTestId('delegation-until').fill(local);
      await page.getByTestId('delegation-submit').click();
      await expect.poll(() => page.getByTestId('delegation-error').textContent(), WAIT).toContain('cannot delegate to themselves');
      await page.getByTestId('delegation-to').fill('ghost');
      await page.getByTestId('delegation-submit').click();
      await expect.poll(() => page.getByTestId('delegation-error').textContent(), WAIT).toContain('No user named "ghost"');
      await page.getByTestId('delegation-to').fill('dan');
      await page.getByTestId('delegation-submit').click();
      await page.getByTestId('delegation-bob-dan').waitFor(WAIT);
      expect(await page.getByTestId('delegation-error').count()).toBe(0);
      await screenshot(page, 'approval-policy-delegation-settings');

      await switchUser(DAN, '/inbox');
      await expect.poll(() => row().getByTestId('task-row-for').textContent(), WAIT).toBe('for bob');
      expect(await row().getByTestId('task-row-progress').textContent()).toBe('1 of 2 approved');
      await row().getByTestId('task-row-title').click();
      await page.getByTestId('task-deciding-for').waitFor(WAIT);
      expect(await page.getByTestId('task-deciding-for').textContent()).toContain('on behalf of bob');
      await screenshot(page, 'approval-policy-delegate-task');
      await page.getByTestId('approve').click();
      await page.getByTestId('inbox-page').waitFor(WAIT);
      await expect.poll(async () => (await world.server.engine.task(taskId)).status, WAIT).toBe('approved');
      await expect.poll(async () => (await world.server.services.runs.get(runId)).status, WAIT).toBe('completed');

      // The decision record on the closed task: who, and for whom.
      await switchUser(ANN, taskUrl());
      await page.getByTestId('task-audit').waitFor(WAIT);
      expect(await page.getByTestId('audit-by').textContent()).toBe('dan on behalf of bob');
      expect(await page.getByTestId('task-decisions').textContent()).toContain('dan on behalf of bob approved');
      await screenshot(page, 'approval-policy-decided');
    },
    TEST_TIMEOUT,
  );
  it(
    'the inspector shows the policy fields, and a quorum larger than the assignees is a problem naming its field',
    async () => {
      const graph = buildGraph(
        [
          ['start', 'start'],
          ['review', 'approval', { title: 'Pay?', assignees: { users: ['ann', 'bob', 'eve'] }, approvalsNeeded: 5, forbidSelfApproval: true, remindEvery: '1d', decideAfter: '7d' }],
          ['yes', 'end'],
        ],
        ['start.next -> review', 'review.approved -> yes'],
      );
      await world.server.services.workflows.saveDraft('policy-form', { name: 'Policy form', graph });
      await switchUser(OWNER, '/workflows');
      await openEditor(page, 'policy-form', 'review');
      await page.getByTestId('node-review').locator('.cairn-node__title').click();
      const inspector = page.getByTestId('inspector');
      for (const field of ['quorum', 'approvalsNeeded', 'forbidSelfApproval', 'selfApprover', 'remindEvery', 'escalateAfter', 'escalateTo', 'decideAfter', 'autoDecision']) {
        await inspector.getByTestId(`field-row-${field}`).waitFor(WAIT);
      }
      const problem = page.getByTestId('problem-CONFIG_INVALID-review');
      await problem.waitFor(WAIT);
      expect(await problem.innerText()).toContain('needs 5 approvals but names only 3 user(s)');
      // Escalation targets are added on demand, with the assignees' widget.
      await inspector.getByTestId('field-escalateTo-add').click();
      await inspector.getByTestId('field-row-approvalsNeeded').scrollIntoViewIfNeeded();
      await screenshot(page, 'approval-policy-inspector');
    },
    TEST_TIMEOUT,
  );
});
