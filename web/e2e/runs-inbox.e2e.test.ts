// Runs and the approval inbox end to end (issue 6), in Debian's Chromium against a real server: start
// the seeded expense approval from its input form, see the run wait at the manager's approval, decide
// it as a manager from the inbox, and see the run completed with its path and the decision's record;
// a user without the role sees no task and may not decide it; a failed run shows where and why, and
// retry resumes it. Writes the runs and inbox screenshots.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { Principal } from '../../server/auth/principal.js';
import { type BrowserWorld, openWorld, screenshot, screenshotIfFailed, setUpOwner } from './browser.js';
import { csrfToken, signIn, type Credentials } from './sessions.js';

const TEST_TIMEOUT = 90_000;
const WAIT = { timeout: 15_000 };

const OWNER: Credentials = { username: 'owner', password: 'a long enough secret' };
const MANAGER = { username: 'mara', name: 'Mara Manager', password: 'managers decide', roles: ['approver', 'manager'] };
const CLERK = { username: 'carl', name: 'Carl Clerk', password: 'clerks only file', roles: ['approver', 'clerk'] };

let world: BrowserWorld;
let page: Page;
let clerk: Principal;
/** Uncaught errors and console errors in the page: each test expects none but the ones it names. */
const pageErrors: string[] = [];
/** Console errors a test provokes on purpose (the browser logs every 403 it is answered). */
let expectedErrors: RegExp[] = [];
/**
 * While one user signs out and another signs in: a query already on its way when the session ends
 * (a live refetch) is answered 401, which the browser logs. The app ignores it (it has left the page).
 */
let switchingUser = false;

/** The run the first test starts from the form: the later tests look at it again. */
let expenseRun: string | undefined;

beforeAll(async () => {
  // 'a failed run' calls a payment API of its own on 127.0.0.1.
  world = await openWorld({ httpAllow: ['127.0.0.1'] });
  page = world.page;
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(String(error.stack ?? error)));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = `${message.text()} (${message.location().url})`;
    if (!(switchingUser && /status of 401 .*\/trpc\//.test(text))) pageErrors.push(text);
  });
  await setUpOwner(page, OWNER);
  const { accounts } = world.server.services;
  await accounts.createUser(MANAGER);
  clerk = accounts.principalOf(await accounts.createUser(CLERK));
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

// —— helpers ——

/** Sign out and in as `who` on the page `at` (see sessions.ts). */
async function switchUser(who: Credentials, at: string): Promise<void> {
  switchingUser = true;
  try {
    await signIn(page, who, at);
  } finally {
    switchingUser = false;
  }
}

const runIdFromUrl = () => decodeURIComponent(new URL(page.url()).pathname.replace(/^\/runs\//, ''));
const runNode = (id: string) => page.getByTestId(`run-node-${id}`);
const runStatus = (status: string) => page.locator(`[data-testid=run-status][data-status=${status}]`);
const runStatusNow = async (id: string) => (await world.server.services.runs.get(id)).status;

/** Each node's mark on the run canvas (absent: never reached). */
async function nodeStates(ids: string[]): Promise<Record<string, string | null>> {
  const states: Record<string, string | null> = {};
  for (const id of ids) states[id] = await runNode(id).getAttribute('data-run-state');
  return states;
}

/** The ids of the edges drawn as taken on the run canvas. */
const takenEdges = () =>
  page.locator('.react-flow__edge.cairn-run-edge--taken, .react-flow__edge.cairn-run-edge--active').evaluateAll((edges) => edges.map((edge) => edge.getAttribute('data-id') ?? edge.getAttribute('data-testid')?.replace(/^rf__edge-/, '')).sort());

/** Those of the nodes not wholly inside the run canvas's visible box. */
async function outsideCanvas(ids: string[]): Promise<string[]> {
  const canvas = await page.getByTestId('run-graph').boundingBox();
  const outside: string[] = [];
  for (const id of ids) {
    const box = await runNode(id).boundingBox();
    if (!canvas || !box || box.x < canvas.x || box.y < canvas.y || box.x + box.width > canvas.x + canvas.width || box.y + box.height > canvas.y + canvas.height) outside.push(id);
  }
  return outside;
}

/** A timeline entry of the given event type, its data unfolded. */
async function timelineEvent(type: string) {
  const entry = page.getByTestId('run-timeline').locator(`li[data-type=${type}]`);
  await entry.waitFor(WAIT);
  const toggle = entry.getByRole('button', { name: 'Data' });
  if (await toggle.count()) await toggle.click();
  return entry;
}

// —— the expense approval, from the form to the decision ——

describe('an expense report through the manager’s approval', () => {
  it(
    'starts from the workflow’s input form and waits at the approval',
    async () => {
      await page.goto('/');
      await page.getByTestId('open-workflow-expense-approval').click();
      await page.getByTestId('editor').waitFor(WAIT);
      await page.getByTestId('start-run').click();
      const dialog = page.getByTestId('start-run-dialog');
      await dialog.getByTestId('run-input-employee').fill('Erin Example');
      await dialog.getByTestId('run-input-amount').fill('420');
      await dialog.getByTestId('run-input-purpose').fill('Client dinner in Lyon');
      await expect.poll(() => dialog.getByTestId('dialog-submit').isEnabled(), WAIT).toBe(true);
      await dialog.getByTestId('dialog-submit').click();

      await page.waitForURL(/\/runs\/[^/]+$/, WAIT);
      expenseRun = runIdFromUrl();
      await runStatus('waiting').waitFor(WAIT);
      const waiting = page.getByTestId('waiting-on');
      await expect.poll(() => waiting.textContent(), WAIT).toMatch(/Manager approval\s*Approval/);
      expect(await waiting.textContent()).toContain('a decision in the inbox');
      // The path so far: the form's input started it, the manager was notified, the approval is where it is now.
      await runNode('manager').waitFor(WAIT);
      expect(await nodeStates(['start', 'notifyManager', 'manager', 'reimburse', 'director'])).toEqual({ start: 'visited', notifyManager: 'visited', manager: 'current', reimburse: null, director: null });
      expect(await page.getByTestId('run-input-json').textContent()).toContain('420');
      expect((await world.server.services.runs.get(expenseRun)).input).toEqual({ employee: 'Erin Example', amount: 420, purpose: 'Client dinner in Lyon' });
    },
    TEST_TIMEOUT,
  );

  it(
    'shows the task in the manager’s inbox, and the manager approves it with a comment',
    async () => {
      const taskId = `${expenseRun}:manager:1`;
      // An approver may not read workflows or runs: they start in the inbox, and the nav offers only what they may open.
      await switchUser(MANAGER, '/');
      await page.getByTestId('inbox-page').waitFor(WAIT);
      expect(new URL(page.url()).pathname).toBe('/inbox');
      expect(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents()).toEqual(['Inbox1', 'Settings']);
      const row = page.getByTestId(`task-row-${taskId}`);
      await row.waitFor(WAIT);
      expect(await page.getByTestId('inbox-badge').textContent()).toBe('1');
      expect(await page.locator('tr[data-testid^="task-row-"]').count()).toBe(1);
      expect(await row.getByTestId('task-row-title').textContent()).toBe('Approve 420 EUR for Erin Example?');
      expect(await row.textContent()).toContain('role manager');
      await screenshot(page, 'inbox');

      await row.getByTestId('task-row-title').click();
      await page.getByTestId('task-page').waitFor(WAIT);
      await page.getByTestId('task-title').waitFor(WAIT);
      expect(await page.getByTestId('task-title').textContent()).toBe('Approve 420 EUR for Erin Example?');
      expect(await page.getByTestId('task-details').textContent()).toContain('Client dinner in Lyon');
      const data = await page.getByTestId('task-data').textContent();
      expect(data).toContain('420');
      expect(data).toContain('Erin Example');
      // The run's id, not a link to a page an approver may not open.
      expect(await page.getByTestId('task-run').textContent()).toBe(expenseRun);
      expect(await page.getByTestId('task-run').evaluate((element) => element.tagName)).toBe('SPAN');
      await page.getByTestId('task-form-costCentre').fill('CC-1042');
      await page.getByTestId('task-comment').fill('Fine: the client signed. Booked on CC-1042.');
      await screenshot(page, 'task-page');

      await page.getByTestId('approve').click();
      await page.getByTestId('inbox-page').waitFor(WAIT);
      await page.getByTestId('inbox-empty').waitFor(WAIT);
      await page.getByTestId('inbox-badge').waitFor({ state: 'detached', ...WAIT });

      // The decided task keeps its audit record: who, when, the comment, the form, what was shown.
      await page.getByTestId('inbox-tab-decided').click();
      await page.getByTestId(`task-row-${taskId}`).getByTestId('task-row-title').click();
      const audit = page.getByTestId('task-audit');
      await audit.waitFor(WAIT);
      expect(await audit.getByTestId('audit-by').textContent()).toBe('mara');
      expect(await audit.getByTestId('audit-comment').textContent()).toBe('Fine: the client signed. Booked on CC-1042.');
      expect(await audit.getByTestId('audit-form').textContent()).toContain('CC-1042');
      await expect.poll(() => audit.getByTestId('audit-hash-check').textContent(), WAIT).toContain('✓ Matches');
    },
    TEST_TIMEOUT,
  );

  it(
    'shows the owner the run completed, with the path taken and the decision in its history',
    async () => {
      const id = expenseRun!;
      await switchUser(OWNER, `/runs/${encodeURIComponent(id)}`);
      await runStatus('completed').waitFor(WAIT);
      await runNode('reimbursed').waitFor(WAIT);
      expect(await nodeStates(['start', 'notifyManager', 'manager', 'reimburse', 'reimbursed', 'director', 'notifyEmployee', 'rejected'])).toEqual({
        start: 'visited',
        notifyManager: 'visited',
        manager: 'visited',
        reimburse: 'visited',
        reimbursed: 'visited',
        director: null,
        notifyEmployee: null,
        rejected: null,
      });
      expect(await takenEdges()).toEqual(['e1', 'e2', 'e3', 'e8']);
      // The whole path is in view on the canvas, not only where the run ended.
      await expect.poll(() => outsideCanvas(['start', 'notifyManager', 'manager', 'reimburse', 'reimbursed']), WAIT).toEqual([]);
      expect(await page.getByTestId('waiting-on').count()).toBe(0);
      expect((await world.server.services.runs.get(id)).output).toEqual({ status: 'reimbursed', amount: 420, approvedBy: 'mara' });
      expect(await page.getByTestId('run-output-json').textContent()).toMatch(/status:\s*"reimbursed".*approvedBy:\s*"mara"/);

      // The approval node's own output (selected from its history entry): the decision, by whom, the comment and the form.
      await page.getByTestId('run-timeline').locator('li[data-type=approvalDecided]').getByRole('button', { name: 'Manager approval' }).click();
      const io = page.getByTestId('run-node-io');
      await io.getByTestId('node-output-port').waitFor(WAIT);
      expect(await io.getByTestId('node-output-port').textContent()).toContain('approved');
      const output = await io.getByTestId('node-output-json').textContent();
      expect(output).toMatch(/by:\s*"mara"/);
      expect(output).toContain('Fine: the client signed. Booked on CC-1042.');
      expect(output).toContain('CC-1042');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.mouse.move(0, 0);
      await screenshot(page, 'run-detail');

      // The decision in the run's history, with its audit fields.
      const decided = await timelineEvent('approvalDecided');
      const record = await decided.textContent();
      expect(record).toContain('Manager approval');
      expect(record).toMatch(/decision:\s*"approve/);
      expect(record).toMatch(/by:\s*"mara"/);
      expect(record).toContain('Fine: the client signed. Booked on CC-1042.');
    },
    TEST_TIMEOUT,
  );
});

// —— a user without the role ——

describe('an approver without the assigned role', () => {
  it(
    'sees no task in the inbox and may not decide it, by cookie or by token',
    async () => {
      const { runs, approvals, accounts } = world.server.services;
      const run = await runs.start('expense-approval', { employee: 'Dana Doe', amount: 99.5, purpose: 'Train ticket' });
      await expect.poll(() => runStatusNow(run.id), WAIT).toBe('waiting');
      const taskId = `${run.id}:manager:1`;

      await switchUser(CLERK, '/inbox');
      await page.getByTestId('inbox-empty').waitFor(WAIT);
      expect(await page.getByTestId('inbox-badge').count()).toBe(0);
      expect(await page.getByTestId(`task-row-${taskId}`).count()).toBe(0);

      // The task's own page says it is not theirs (the API answers 403).
      expectedErrors = [/status of 403/];
      await page.goto(`/inbox/${encodeURIComponent(taskId)}`);
      const refusal = page.getByTestId('task-load-error');
      await refusal.waitFor(WAIT);
      expect(await refusal.textContent()).toContain('This task is not assigned to you.');
      expect(await page.getByTestId('approve').count()).toBe(0);

      // The REST API, with the browser's session cookie and its CSRF token…
      const decision = { decision: 'approve', comment: 'let me through' };
      const byCookie = await page.request.post(`/api/v1/approvals/${encodeURIComponent(taskId)}/decision`, { data: decision, headers: { 'x-csrf-token': await csrfToken(page) } });
      expect(byCookie.status()).toBe(403);
      expect(JSON.stringify(await byCookie.json())).toContain('not an assignee');
      // …and with an API token of theirs.
      const { token } = await accounts.createToken({ name: 'carl-cli', role: 'approver' }, clerk);
      const byToken = await fetch(`${world.server.url}/api/v1/approvals/${encodeURIComponent(taskId)}/decision`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(decision),
      });
      expect(byToken.status).toBe(403);
      const listed = (await (await fetch(`${world.server.url}/api/v1/approvals`, { headers: { authorization: `Bearer ${token}` } })).json()) as unknown[];
      expect(listed).toEqual([]);

      // Still pending, for the manager to decide.
      const task = await approvals.get({ kind: 'user', name: MANAGER.username, roles: MANAGER.roles }, taskId);
      expect(task).toMatchObject({ status: 'pending', decidedBy: null });
      expect(await runStatusNow(run.id)).toBe('waiting');
    },
    TEST_TIMEOUT,
  );
});

// —— a failed run, retried ——

/** start → a step calling an HTTP API (one attempt) → end. */
function chargeGraph(url: string): Graph {
  return {
    format: 'cairn.graph/v2',
    nodes: [
      {
        id: 'start',
        kind: 'start',
        label: 'Order placed',
        position: { x: 0, y: 0 },
        config: { inputSchema: { type: 'object', required: ['order', 'amount'], properties: { order: { type: 'string' }, amount: { type: 'number' } } } },
      },
      {
        id: 'charge',
        kind: 'step',
        label: 'Charge the card',
        position: { x: 300, y: 0 },
        config: { action: 'http.request', input: { method: 'POST', url, body: { order: '{{ input.order }}', amount: '{{ input.amount }}' } }, retry: { maxAttempts: 1 } },
      },
      { id: 'charged', kind: 'end', label: 'Charged', position: { x: 600, y: 0 }, config: { output: '{{ nodes.charge.body }}' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'charge' },
      { id: 'e2', source: 'charge', sourcePort: 'ok', target: 'charged' },
    ],
  };
}

describe('a failed run', () => {
  let api: http.Server;
  const calls: { method?: string; body: string }[] = [];

  beforeAll(async () => {
    // A payment API that declines the first charge (422: not retryable) and accepts the next.
    api = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        calls.push({ method: request.method, body });
        const first = calls.length === 1;
        response.writeHead(first ? 422 : 200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(first ? { error: 'card declined: insufficient funds' } : { charged: true, receipt: 'rcpt-7731' }));
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    api.closeAllConnections();
    await new Promise((resolve) => api.close(resolve));
  });

  it(
    'shows the failed node, its attempt and error, and retry resumes it to the end',
    async () => {
      const { workflows, runs } = world.server.services;
      const { port } = api.address() as AddressInfo;
      await workflows.saveDraft('card-charge', { name: 'Card charge', graph: chargeGraph(`http://127.0.0.1:${port}/charges`) });
      await workflows.publish('card-charge', 'e2e');
      const run = await runs.start('card-charge', { order: 'PO-1042', amount: 59.9 });
      await expect.poll(() => runStatusNow(run.id), WAIT).toBe('failed');
      expect(calls).toHaveLength(1);
      expect(JSON.parse(calls[0].body)).toEqual({ order: 'PO-1042', amount: 59.9 });

      await switchUser(OWNER, `/runs/${encodeURIComponent(run.id)}`);
      await runStatus('failed').waitFor(WAIT);
      const notice = page.getByTestId('run-error');
      await notice.waitFor(WAIT);
      const noticeText = await notice.textContent();
      expect(noticeText).toContain('Failed at Charge the card');
      expect(noticeText).toContain('HTTP_422');
      expect(noticeText).toContain('card declined: insufficient funds');
      await runNode('charged').waitFor(WAIT);
      expect(await nodeStates(['start', 'charge', 'charged'])).toEqual({ start: 'visited', charge: 'failed', charged: null });

      // The failed node's panel (selected from the error notice): its input, and the attempt with its error.
      await notice.getByRole('button', { name: 'Charge the card' }).click();
      const io = page.getByTestId('run-node-io');
      await io.getByTestId('node-io-state').waitFor(WAIT);
      expect(await io.getByTestId('node-io-state').textContent()).toBe('Failed here');
      expect(await io.getByTestId('node-input-json').textContent()).toContain('PO-1042');
      const failedAttempt = io.locator('.cairn-attempts__item--failed').filter({ hasText: 'Step attempt failed' });
      await failedAttempt.waitFor(WAIT);
      const attempt = await failedAttempt.textContent();
      expect(attempt).toContain('#1');
      expect(attempt).toContain('HTTP_422');
      expect(attempt).toContain('insufficient funds');
      expect(await io.locator('.cairn-attempts__number').allTextContents()).toEqual(['#1', '#1', '#1']); // started, failed, the step failed: one attempt
      expect(await io.getByTestId('node-output-port').textContent()).toContain('error');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.mouse.move(0, 0);
      await screenshot(page, 'run-failed');

      // The history: the attempt that failed and the step's failure, both attempt 1.
      expect(await (await timelineEvent('stepAttemptFailed')).textContent()).toContain('attempt 1');
      const failedStep = await (await timelineEvent('stepFailed')).textContent();
      expect(failedStep).toContain('attempt 1');
      expect(failedStep).toContain('answered 422');

      await page.getByTestId('retry-run').click();
      await runStatus('completed').waitFor(WAIT);
      await expect.poll(() => nodeStates(['start', 'charge', 'charged']), WAIT).toEqual({ start: 'visited', charge: 'visited', charged: 'visited' });
      expect(await page.getByTestId('retry-run').count()).toBe(0);
      expect(await page.getByTestId('run-error').count()).toBe(0);
      await timelineEvent('runRetried');
      expect(calls).toHaveLength(2);
      expect((await runs.get(run.id)).output).toEqual({ charged: true, receipt: 'rcpt-7731' });
    },
    TEST_TIMEOUT,
  );
});

// —— the list of runs ——

describe('the runs list', () => {
  it(
    'lists every run newest first with its status and what it waits on',
    async () => {
      const { runs } = world.server.services;
      const cancelled = await runs.start('expense-approval', { employee: 'Sam Sample', amount: 12, purpose: 'Taxi' });
      await expect.poll(() => runStatusNow(cancelled.id), WAIT).toBe('waiting');
      await runs.cancel(cancelled.id, { by: 'owner', reason: 'submitted twice' });
      await expect.poll(() => runStatusNow(cancelled.id), WAIT).toBe('cancelled');

      await switchUser(OWNER, '/runs');
      await page.getByTestId('runs-page').waitFor(WAIT);
      const rows = page.locator('tr[data-testid^="run-row-"]');
      await expect.poll(() => rows.count(), WAIT).toBe(4);
      const ids = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')!.slice('run-row-'.length)));
      expect(ids).toEqual([...ids].sort().reverse());
      expect(ids[0]).toBe(cancelled.id);
      expect(ids).toContain(expenseRun);

      const counts = async () => Object.fromEntries(await Promise.all(['all', 'waiting', 'completed', 'cancelled', 'failed'].map(async (status) => [status, (await page.getByTestId(`status-count-${status}`).locator('.cairn-status-chip__count').textContent())?.trim()])));
      await expect.poll(counts, WAIT).toEqual({ all: '4', waiting: '1', completed: '2', cancelled: '1', failed: '0' });
      const waitingRow = rows.filter({ has: page.locator('[data-status=waiting]') });
      expect(await waitingRow.count()).toBe(1);
      // The node by its label (issue 13: it read "manager approval", the id and the kind).
      expect(await waitingRow.getByTestId('run-row-node').textContent()).toBe('Manager approval');
      expect(await page.getByTestId(`run-row-${expenseRun}`).locator('[data-status]').getAttribute('data-status')).toBe('completed');
      await page.mouse.move(0, 0);
      await screenshot(page, 'runs-list');

      // A row opens its run.
      await page.getByTestId(`run-row-${expenseRun}`).locator('td').nth(1).click();
      await page.waitForURL(`**/runs/${encodeURIComponent(expenseRun!)}`, WAIT);
      await runStatus('completed').waitFor(WAIT);
    },
    TEST_TIMEOUT,
  );
});
