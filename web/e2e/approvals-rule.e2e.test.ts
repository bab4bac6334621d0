// Who sees and decides a task is one rule (issue 13, item 3), in Debian's Chromium against a real
// server: an assignee by name, an assignee by role only (no built-in role), a non-assignee and an
// admin, each signed in to the inbox; the admin's "All tasks" view lists every pending task. Then the
// small items of list 7 this area owns: Retry only where it helps, the cancel dialog's wording, node
// labels in the runs list, and structured start-form fields. Data is seeded through the services.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../server/testing/graphs.js';
import { type BrowserWorld, openWorld, screenshot, screenshotIfFailed, setUpOwner } from './browser.js';
import { signIn, type Credentials } from './sessions.js';

const TEST_TIMEOUT = 90_000;
const WAIT = { timeout: 15_000 };

const OWNER: Credentials = { username: 'owner', password: 'a long enough secret' };
const PASSWORD = 'decides things';
const BY_USER = { username: 'uma', name: 'Uma User', password: PASSWORD, roles: ['clerk'] };
const BY_ROLE = { username: 'mara', name: 'Mara Manager', password: PASSWORD, roles: ['manager'] };
const NOBODY = { username: 'nick', name: 'Nick Nobody', password: PASSWORD, roles: ['approver', 'sales'] };

let world: BrowserWorld;
let page: Page;
const pageErrors: string[] = [];
let expectedErrors: RegExp[] = [];
let switchingUser = false;
/** Expense runs (assigned to uma and to the manager role) and one board run (directors only). */
const runs = { expense: [] as string[], board: '' };
const taskOf = (runId: string) => `${runId}:review:1`;

function approval(assignees: unknown, label: string) {
  const graph = buildGraph(
    [
      ['start', 'start', { inputSchema: { type: 'object', properties: { what: { type: 'string' } } } }],
      ['review', 'approval', { title: 'Approve {{ input.what }}?', assignees, timeout: '7d' }],
      ['yes', 'end'],
      ['no', 'end'],
    ],
    ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no'],
  );
  graph.nodes[1].label = label;
  return graph;
}

beforeAll(async () => {
  world = await openWorld({ seed: false });
  page = world.page;
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(String(error.stack ?? error)));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = `${message.text()} (${message.location().url})`;
    if (!(switchingUser && /status of 401 .*\/trpc\//.test(text))) pageErrors.push(text);
  });
  await setUpOwner(page, OWNER);
  const { accounts, workflows } = world.server.services;
  for (const user of [BY_USER, BY_ROLE, NOBODY]) await accounts.createUser(user);
  await workflows.saveDraft('expense', { name: 'Expense', graph: approval({ users: ['uma'], roles: ['manager'] }, 'Manager approval') });
  await workflows.publish('expense', 'e2e');
  await workflows.saveDraft('board', { name: 'Board decision', graph: approval({ roles: ['director'] }, 'Board approval') });
  await workflows.publish('board', 'e2e');
  for (const what of ['a train ticket', 'a hotel night', 'a new laptop']) runs.expense.push((await world.server.services.runs.start('expense', { what })).id);
  runs.board = (await world.server.services.runs.start('board', { what: 'the merger' })).id;
  // Until every run waits at its approval (expect.poll belongs to tests, not hooks).
  const deadline = Date.now() + WAIT.timeout;
  for (const id of [...runs.expense, runs.board]) {
    while ((await status(id)) !== 'waiting') {
      if (Date.now() > deadline) throw new Error(`run ${id} is ${await status(id)}, not waiting at its approval`);
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
const taskStatus = async (taskId: string) => (await world.server.engine.task(taskId)).status;
const rows = () => page.locator('tr[data-testid^="task-row-"]');
const rowIds = async () => (await rows().evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')!.slice('task-row-'.length)))).sort();

async function switchUser(who: Credentials, at: string): Promise<void> {
  switchingUser = true;
  try {
    await signIn(page, who, at);
  } finally {
    switchingUser = false;
  }
}

async function decide(taskId: string, decision: 'approve' | 'reject'): Promise<void> {
  await page.getByTestId(`task-row-${taskId}`).getByTestId('task-row-title').click();
  await page.getByTestId('task-title').waitFor(WAIT);
  await page.getByTestId(decision).click();
  await page.getByTestId('inbox-page').waitFor(WAIT);
  await expect.poll(() => taskStatus(taskId), WAIT).toBe(decision === 'approve' ? 'approved' : 'rejected');
}

describe('the approvals rule in the inbox', () => {
  it(
    'an assignee by name sees the tasks naming them, and decides one',
    async () => {
      await switchUser(BY_USER, '/inbox');
      await expect.poll(rowIds, WAIT).toEqual(runs.expense.map(taskOf).sort());
      expect(await page.getByTestId('inbox-tab-all').count()).toBe(0);
      expect(await page.getByTestId('inbox-badge').textContent()).toBe('3');
      expect(await page.getByTestId('task-row-not-yours').count()).toBe(0);
      await screenshot(page, 'approvals-by-user');
      await decide(taskOf(runs.expense[0]), 'approve');
      await expect.poll(() => status(runs.expense[0]), WAIT).toBe('completed');
    },
    TEST_TIMEOUT,
  );

  it(
    'an assignee by role only — no built-in role — sees and decides the tasks of the role',
    async () => {
      await switchUser(BY_ROLE, '/');
      await page.getByTestId('inbox-page').waitFor(WAIT);
      expect(await page.getByTestId('inbox-no-access').count()).toBe(0);
      await expect.poll(rowIds, WAIT).toEqual(runs.expense.slice(1).map(taskOf).sort());
      expect(await page.getByTestId(`task-row-${taskOf(runs.expense[1])}`).textContent()).toContain('role manager');
      await screenshot(page, 'approvals-by-role');
      await decide(taskOf(runs.expense[1]), 'reject');
      await expect.poll(rowIds, WAIT).toEqual([taskOf(runs.expense[2])]);
    },
    TEST_TIMEOUT,
  );

  it(
    'a non-assignee sees none of them and may not open or decide one',
    async () => {
      await switchUser(NOBODY, '/inbox');
      await page.getByTestId('inbox-empty').waitFor(WAIT);
      expect(await rows().count()).toBe(0);
      const taskId = taskOf(runs.expense[2]);
      expectedErrors = [/status of 403/];
      await page.goto(`/inbox/${encodeURIComponent(taskId)}`);
      const refusal = page.getByTestId('task-load-error');
      await refusal.waitFor(WAIT);
      expect(await refusal.textContent()).toContain('This task is not assigned to you.');
      expect(await page.getByTestId('approve').count()).toBe(0);
      await screenshot(page, 'approvals-non-assignee');
      // "All tasks" is not theirs to ask for: the server refuses it, and the page shows their own.
      await page.goto('/inbox?scope=all');
      await page.getByTestId('inbox-view-mine').waitFor(WAIT);
      expect(await taskStatus(taskId)).toBe('pending');
    },
    TEST_TIMEOUT,
  );

  it(
    'an admin sees their own tasks by default, every pending task under All tasks, and decides one assigned to others',
    async () => {
      await switchUser(OWNER, '/inbox');
      await page.getByTestId('inbox-view-mine').waitFor(WAIT);
      await page.getByTestId('inbox-empty').waitFor(WAIT);
      expect(await page.getByTestId('inbox-tab-mine').getAttribute('aria-selected')).toBe('true');
      expect(await page.getByTestId('inbox-subtitle').textContent()).toContain('choose All');

      await page.getByTestId('inbox-tab-all').click();
      await page.getByTestId('inbox-view-all').waitFor(WAIT);
      expect(new URL(page.url()).search).toBe('?tab=all');
      await expect.poll(rowIds, WAIT).toEqual([taskOf(runs.expense[2]), taskOf(runs.board)].sort());
      // Every pending task in the system, as the engine has them.
      const pending = (await world.server.engine.tasksFor({ user: 'owner', admin: true, status: 'pending' })).map((task) => task.id).sort();
      expect(await rowIds()).toEqual(pending);
      expect(await page.getByTestId('task-row-not-yours').count()).toBe(2);
      expect(await page.getByTestId('inbox-subtitle').textContent()).toContain('you may decide any of them');
      await page.mouse.move(0, 0);
      await screenshot(page, 'approvals-admin-all-tasks');

      await page.getByTestId(`task-row-${taskOf(runs.board)}`).getByTestId('task-row-title').click();
      await page.getByTestId('task-as-admin').waitFor(WAIT);
      await page.mouse.move(0, 0);
      await screenshot(page, 'approvals-admin-task');
      await page.getByTestId('approve').click();
      // Back to the view the admin came from.
      await page.getByTestId('inbox-view-all').waitFor(WAIT);
      await expect.poll(rowIds, WAIT).toEqual([taskOf(runs.expense[2])]);
      await expect.poll(() => status(runs.board), WAIT).toBe('completed');
      expect((await world.server.engine.task(taskOf(runs.board))).decidedBy).toBe('owner');
    },
    TEST_TIMEOUT,
  );
});
