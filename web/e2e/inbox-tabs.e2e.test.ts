// The inbox worth living in (issue 19), in Debian's Chromium against a real server: the tabs (Mine,
// My roles, Decided by me) with their counts and server-side pages; claiming a task (the other
// manager sees who holds it) and releasing it; deciding several tasks with one comment, one of them
// decided by someone else meanwhile (refused, with the reason, the others recorded one by one); and
// two people's journey — eve starts a run, bob decides it from his inbox, eve sees the outcome.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../server/testing/graphs.js';
import { type BrowserWorld, openWorld, screenshot, screenshotIfFailed, setUpOwner } from './browser.js';
import { signIn } from './sessions.js';

const TEST_TIMEOUT = 120_000;
const WAIT = { timeout: 15_000 };
const PASSWORD = 'decides things';
const EVE = { username: 'eve', name: 'Eve Requester', password: PASSWORD, roles: ['editor'] };
const ANN = { username: 'ann', name: 'Ann Manager', password: PASSWORD, roles: ['approver', 'manager'] };
const BOB = { username: 'bob', name: 'Bob Manager', password: PASSWORD, roles: ['approver', 'manager'] };
const ROLE_TASKS = 55;

let world: BrowserWorld;
let page: Page;
const pageErrors: string[] = [];
let switching = false;
const named: string[] = [];
const roled: string[] = [];
let formTask = '';

const approval = (title: string, assignees: Record<string, string[]>, form?: unknown) =>
  buildGraph(
    [
      ['start', 'start', { inputSchema: { type: 'object', required: ['employee', 'amount'], properties: { employee: { type: 'string' }, amount: { type: 'number' } } } }],
      ['review', 'approval', { title, assignees, ...(form ? { form } : {}) }],
      ['yes', 'end', { output: 'approved' }],
      ['no', 'end', { output: 'rejected' }],
    ],
    ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no'],
  );

beforeAll(async () => {
  world = await openWorld({ seed: false });
  page = world.page;
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(String(error.stack ?? error)));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = `${message.text()} (${message.location().url})`;
    if (!(switching && /status of 401/.test(text))) pageErrors.push(text);
  });
  await setUpOwner(page);
  const { accounts, workflows, runs } = world.server.services;
  for (const user of [EVE, ANN, BOB]) await accounts.createUser(user);
  await workflows.saveDraft('expense', { name: 'Expense', graph: approval('Pay {{ input.employee }} {{ input.amount }} EUR?', { roles: ['manager'] }) });
  await workflows.publish('expense', 'e2e');
  await workflows.saveDraft('contract', { name: 'Contract', graph: approval('Sign {{ input.employee }}’s contract', { users: ['ann'] }) });
  await workflows.publish('contract', 'e2e');
  // A purchase needs a cost centre to be approved: a bulk approval, which fills in no form, is refused for it.
  const costCentre = { type: 'object', required: ['costCentre'], properties: { costCentre: { type: 'string', title: 'Cost centre' } } };
  await workflows.saveDraft('purchase', { name: 'Purchase', graph: approval('Buy a laptop for {{ input.employee }}', { roles: ['manager'] }, costCentre) });
  await workflows.publish('purchase', 'e2e');
  await workflows.saveDraft('trip', { name: 'Trip', graph: approval('Pay {{ input.employee }} {{ input.amount }} EUR?', { users: ['bob'] }) });
  await workflows.publish('trip', 'e2e');
  for (let i = 1; i <= 2; i++) named.push(`${(await runs.start('contract', { employee: `Nia ${i}`, amount: i })).id}:review:1`);
  formTask = `${(await runs.start('purchase', { employee: 'Ines', amount: 1200 })).id}:review:1`;
  for (let i = 1; i < ROLE_TASKS; i++) roled.push(`${(await runs.start('expense', { employee: `Emp ${String(i).padStart(2, '0')}`, amount: i * 10 })).id}:review:1`);
  const deadline = Date.now() + 60_000;
  while ((await world.server.engine.tasksFor({ user: 'ann', roles: ['manager'] })).length < ROLE_TASKS + 2) {
    if (Date.now() > deadline) throw new Error('the runs did not reach their approvals');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 180_000);

afterEach(async (context) => {
  await screenshotIfFailed(page, context);
  expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
});

afterAll(async () => {
  await world?.close();
});

async function switchUser(who: { username: string; password: string }, at: string): Promise<void> {
  switching = true;
  try {
    await signIn(page, who, at);
  } finally {
    switching = false;
  }
}

const rows = () => page.locator('tr[data-testid^="task-row-"]');
const row = (taskId: string) => page.getByTestId(`task-row-${taskId}`);
const text = (testId: string) => page.getByTestId(testId).textContent();

describe('the inbox', () => {
  it(
    'opens on Mine with the tabs counted, and pages My roles on the server',
    async () => {
      await switchUser(ANN, '/inbox');
      await page.getByTestId('inbox-view-mine').waitFor(WAIT);
      await expect.poll(() => rows().count(), WAIT).toBe(2);
      expect(await text('inbox-count-mine')).toBe('2');
      expect(await text('inbox-count-roles')).toBe(String(ROLE_TASKS));
      expect(await text('inbox-badge')).toBe(String(ROLE_TASKS + 2));
      expect(await page.getByTestId('inbox-tab-all').count()).toBe(0);
      expect(await row(named[0]).getByTestId('task-row-title').textContent()).toBe('Sign Nia 1’s contract');
      await screenshot(page, 'inbox-tabs-mine');

      await page.getByTestId('inbox-tab-roles').click();
      await page.getByTestId('inbox-view-roles').waitFor(WAIT);
      await expect.poll(() => rows().count(), WAIT).toBe(50);
      expect(await text('inbox-range')).toBe(`1–50 of ${ROLE_TASKS}`);
      expect(new URL(page.url()).search).toBe('?tab=roles');
      await page.getByTestId('inbox-page-next').click();
      await expect.poll(() => text('inbox-range'), WAIT).toBe(`51–${ROLE_TASKS} of ${ROLE_TASKS}`);
      expect(await rows().count()).toBe(ROLE_TASKS - 50);
      expect(await page.getByTestId('inbox-page-next').isDisabled()).toBe(true);
      expect(new URL(page.url()).search).toBe('?tab=roles&page=2');
      await page.getByTestId('inbox-page-prev').click();
      await expect.poll(() => text('inbox-range'), WAIT).toBe(`1–50 of ${ROLE_TASKS}`);
    },
    TEST_TIMEOUT,
  );

  it(
    'claims a role task: it moves to Mine, bob sees ann handling it, and ann releases it',
    async () => {
      await row(roled[0]).getByTestId('task-claim').click();
      await row(roled[0]).waitFor({ state: 'detached', ...WAIT }); // now in Mine
      await expect.poll(() => text('inbox-count-mine'), WAIT).toBe('3');
      await page.getByTestId('inbox-tab-mine').click();
      await expect.poll(() => row(roled[0]).getByTestId('task-claimed-by').textContent(), WAIT).toBe('You');
      await screenshot(page, 'inbox-claimed-mine');

      await switchUser(BOB, '/inbox?tab=roles');
      await expect.poll(() => row(roled[0]).getByTestId('task-claimed-by').textContent(), WAIT).toBe('ann');
      expect(await row(roled[0]).getByTestId('task-claim').count()).toBe(0);
      expect(await row(roled[0]).getByTestId('task-unclaim').count()).toBe(0);
      expect(await row(roled[1]).getByTestId('task-unclaimed').textContent()).toBe('nobody yet');
      await screenshot(page, 'inbox-claimed-by-other');

      await switchUser(ANN, '/inbox?tab=mine');
      await row(roled[0]).getByTestId('task-unclaim').click();
      await row(roled[0]).waitFor({ state: 'detached', ...WAIT });
      await expect.poll(() => text('inbox-count-mine'), WAIT).toBe('2');
    },
    TEST_TIMEOUT,
  );

  it(
    'decides the selected tasks with one comment, each on its own; the one that needs a form is refused with the reason',
    async () => {
      await page.goto('/inbox?tab=roles');
      const picked = [roled[0], formTask, roled[1], roled[2]];
      for (const id of picked) await row(id).getByTestId('task-row-select').check();
      expect(await text('inbox-bulk-count')).toBe('4 selected');
      // Meanwhile bob approves one of them himself: it leaves ann's list, and her selection.
      await world.server.services.approvals.decide({ kind: 'user', name: 'bob', roles: BOB.roles }, roled[2], { decision: 'approve' });
      await expect.poll(() => text('inbox-bulk-count'), WAIT).toBe('3 selected');
      await page.getByTestId('inbox-bulk-comment').fill('Approved in the Monday batch');
      await screenshot(page, 'inbox-bulk-selected');
      await page.getByTestId('inbox-bulk-approve').click();
      await expect.poll(() => text('inbox-bulk-summary'), WAIT).toBe('2 approved, 1 refused:');
      const refusal = await text('inbox-bulk-refusal');
      expect(refusal).toContain('Buy a laptop for Ines');
      expect(refusal).toContain('the form values are invalid');
      await expect.poll(() => row(roled[0]).count(), WAIT).toBe(0);
      // The refused task stays, still selected, to be opened and decided with its form.
      expect(await text('inbox-bulk-count')).toBe('1 selected');
      expect(await row(formTask).getByTestId('task-row-select').isChecked()).toBe(true);
      await screenshot(page, 'inbox-bulk-result');
      for (const id of [roled[0], roled[1]]) {
        const task = await world.server.engine.task(id);
        expect(task).toMatchObject({ status: 'approved', decisions: [{ by: 'ann', decision: 'approved', comment: 'Approved in the Monday batch' }] });
      }
      // The whole page at once, then nothing.
      await page.getByTestId('inbox-select-page').check();
      await expect.poll(() => text('inbox-bulk-count'), WAIT).toBe('50 selected');
      await page.getByTestId('inbox-bulk-clear').click();
      await page.getByTestId('inbox-bulk').waitFor({ state: 'detached', ...WAIT });

      await page.getByTestId('inbox-tab-decided').click();
      await expect.poll(() => rows().count(), WAIT).toBe(2);
      expect(await row(roled[0]).getByTestId('task-own-decision').textContent()).toContain('“Approved in the Monday batch”');
      expect(await row(roled[0]).getByTestId('task-status').textContent()).toContain('Approved');
      await screenshot(page, 'inbox-decided-by-me');
    },
    TEST_TIMEOUT,
  );

  it(
    'two people: eve starts a run, bob decides it from his inbox, eve sees the outcome',
    async () => {
      await switchUser(EVE, '/');
      await page.getByTestId('open-workflow-trip').click();
      await page.getByTestId('editor').waitFor(WAIT);
      await page.getByTestId('start-run').click();
      const dialog = page.getByTestId('start-run-dialog');
      await dialog.getByTestId('run-input-employee').fill('Zoe');
      await dialog.getByTestId('run-input-amount').fill('99');
      await expect.poll(() => dialog.getByTestId('dialog-submit').isEnabled(), WAIT).toBe(true);
      await dialog.getByTestId('dialog-submit').click();
      await page.waitForURL(/\/runs\/[^/]+$/, WAIT);
      const runId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
      await page.locator('[data-testid=run-status][data-status=waiting]').waitFor(WAIT);
      await screenshot(page, 'inbox-journey-started');

      const taskId = `${runId}:review:1`;
      await switchUser(BOB, '/inbox');
      await page.getByTestId('inbox-view-mine').waitFor(WAIT);
      const mine = row(taskId);
      await mine.waitFor(WAIT);
      expect(await mine.getByTestId('task-row-title').textContent()).toBe('Pay Zoe 99 EUR?');
      await mine.getByTestId('task-claim').click();
      await expect.poll(() => row(taskId).getByTestId('task-claimed-by').textContent(), WAIT).toBe('You');
      await row(taskId).getByTestId('task-row-title').click();
      await page.getByTestId('task-page').waitFor(WAIT);
      await expect.poll(() => text('task-claim-holder'), WAIT).toBe('You are handling this task');
      await page.getByTestId('task-comment').fill('Receipt checked.');
      await screenshot(page, 'inbox-journey-task');
      await page.getByTestId('approve').click();
      await page.getByTestId('inbox-page').waitFor(WAIT);
      await row(taskId).waitFor({ state: 'detached', ...WAIT });
      await page.getByText('is recorded; the run continues').waitFor(WAIT);
      await screenshot(page, 'inbox-journey-decided');

      await switchUser(EVE, `/runs/${encodeURIComponent(runId)}`);
      await page.locator('[data-testid=run-status][data-status=completed]').waitFor(WAIT);
      await screenshot(page, 'inbox-journey-outcome');
      const decided = page.getByTestId('run-timeline').locator('li[data-type=approvalDecided]');
      await decided.waitFor(WAIT);
      await decided.getByRole('button', { name: 'Data' }).click();
      await expect.poll(() => decided.textContent(), WAIT).toMatch(/by:\s*"bob"/);
      expect(await decided.textContent()).toContain('Receipt checked.');
      await screenshot(page, 'inbox-journey-history');
      expect((await world.server.services.runs.get(runId)).output).toBe('approved');
    },
    TEST_TIMEOUT,
  );

  it(
    'Settings → Users: an admin sets, checks and clears a user\'s e-mail address',
    async () => {
      await switchUser({ username: 'owner', password: 'a long enough secret' }, '/settings');
      await page.getByTestId('set-email-ann').click();
      const dialog = page.getByTestId('user-email-dialog');
      await dialog.getByTestId('user-email-input').fill('ann@example');
      await dialog.getByTestId('dialog-submit').click();
      await dialog.getByText('An address like ada@example.com.').waitFor(WAIT);
      await dialog.getByTestId('user-email-input').fill('ann@example.com');
      await dialog.getByTestId('dialog-submit').click();
      await dialog.waitFor({ state: 'detached', ...WAIT });
      await expect.poll(() => page.getByTestId('user-row-ann').getByTestId('user-email').textContent(), WAIT).toBe(' · ann@example.com');
      expect((await world.server.services.accounts.listUsers()).find((user) => user.username === 'ann')?.email).toBe('ann@example.com');
      await screenshot(page, 'settings-user-email');
      await page.getByTestId('set-email-ann').click();
      await page.getByTestId('user-email-dialog').getByTestId('user-email-input').fill('');
      await page.getByTestId('user-email-dialog').getByTestId('dialog-submit').click();
      await page.getByTestId('user-row-ann').getByTestId('user-email').waitFor({ state: 'detached', ...WAIT });
      expect((await world.server.services.accounts.listUsers()).find((user) => user.username === 'ann')?.email).toBeNull();
    },
    TEST_TIMEOUT,
  );
});
