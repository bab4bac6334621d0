// Approvals: what the approver is shown, who may decide, one decision only, form validation,
// time-out with escalation, and the audit record in the task and in history.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { shownHash } from './core/kinds/approval.executor.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Manager approval, escalating to a director after 7 days (the reference's expense example). */
const expense = buildGraph(
  [
    ['start', 'start', { inputSchema: { type: 'object', required: ['amount', 'employee'] } }],
    [
      'manager',
      'approval',
      {
        title: 'Approve {{ input.amount }} EUR for {{ input.employee }}?',
        details: '**{{ input.employee }}** spent {{ input.amount }} EUR on *{{ input.purpose }}*.',
        data: '{{ { "amount": input.amount, "purpose": input.purpose } }}',
        assignees: { users: ['mia'], roles: ['manager'] },
        form: { type: 'object', properties: { costCentre: { type: 'string', pattern: '^CC-[0-9]+$' } }, required: ['costCentre'] },
        timeout: '7d',
      },
    ],
    ['director', 'approval', { title: 'Escalated: {{ input.amount }} EUR for {{ input.employee }}', assignees: { roles: ['director'] } }],
    ['paid', 'end', { output: '{{ { "approvedBy": $exists(nodes.director) ? nodes.director.by : nodes.manager.by } }}' }],
    ['refused', 'end', { output: '{{ { "refused": true } }}' }],
  ],
  [
    'start.next -> manager',
    'manager.approved -> paid',
    'manager.rejected -> refused',
    'manager.timeout -> director',
    'director.approved -> paid',
    'director.rejected -> refused',
  ],
);

const input = { amount: 420, employee: 'Ada', purpose: 'a conference' };

async function startExpense(clock = new FakeClock(Date.UTC(2026, 2, 2, 9))) {
  harness = await createHarness({ clock });
  await harness.publish(expense, 'expense');
  const { id } = await harness.engine.startRun({ workflow: 'expense', input });
  await harness.worker.drain();
  const [task] = await harness.engine.tasksFor({ user: 'mia' });
  return { h: harness, clock, runId: id, task };
}

describe('approvals', () => {
  it('the task shows content rendered from the run’s data, to its assignees', async () => {
    const { h, runId, task } = await startExpense();
    expect(task).toMatchObject({
      id: `${runId}:manager:1`,
      instanceId: runId,
      workflowSlug: 'expense',
      title: 'Approve 420 EUR for Ada?',
      details: '**Ada** spent 420 EUR on *a conference*.',
      data: { amount: 420, purpose: 'a conference' },
      assignees: { users: ['mia'], roles: ['manager'] },
      status: 'pending',
      dueAt: Date.UTC(2026, 2, 9, 9),
    });
    expect(task.shownHash).toBe(shownHash({ title: task.title, details: task.details ?? undefined, data: task.data, form: task.form }));
    expect((await h.engine.getRun(runId)).waitingOn).toEqual([{ nodeId: 'manager', kind: 'approval', on: task.id, until: new Date(Date.UTC(2026, 2, 9, 9)).toISOString() }]);
    expect(await h.engine.tasksFor({ user: 'sam', roles: ['manager'] })).toHaveLength(1);
    expect(await h.engine.tasksFor({ user: 'sam', roles: ['clerk'] })).toEqual([]);
    expect(await h.engine.tasksFor({ user: 'root', admin: true })).toHaveLength(1);
  });

  it.each([
    ['the assigned user', { user: 'mia' }],
    ['a member of an assigned role', { user: 'sam', roles: ['manager'] }],
    ['an admin', { user: 'root', admin: true }],
  ])('%s can decide; the run continues on `approved` with the decision as output', async (_who, by) => {
    const { h, clock, runId, task } = await startExpense();
    clock.advance('2h');
    const decided = await h.engine.decide(task.id, { by, decision: 'approve', comment: 'Fine by me', form: { costCentre: 'CC-7' } });
    expect(decided).toMatchObject({ status: 'approved', decidedBy: by.user, decidedAt: clock.now(), comment: 'Fine by me', formValues: { costCentre: 'CC-7' } });
    await h.worker.drain();
    const run = await h.engine.getRun(runId);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ approvedBy: by.user });
    expect(run.state.outputs.manager).toEqual({ decision: 'approved', by: by.user, at: new Date(clock.now()).toISOString(), comment: 'Fine by me', form: { costCentre: 'CC-7' } });
  });

  // JSON.parse accepts "\ud800" (half a character), so a REST caller can send one; the shown text
  // must still be stored — on PostgreSQL and SQLite alike — and match the hash in the audit record.
  it('text shown with half a character (a lone surrogate) is stored with U+FFFD in its place', async () => {
    harness = await createHarness({ clock: new FakeClock(Date.UTC(2026, 2, 2, 9)) });
    await harness.publish(expense, 'expense');
    await harness.engine.startRun({ workflow: 'expense', input: JSON.parse('{"amount": 420, "employee": "Ad\\ud800a", "purpose": "x"}') });
    await harness.worker.drain();
    const [task] = await harness.engine.tasksFor({ user: 'mia' });
    expect(task).toMatchObject({ title: 'Approve 420 EUR for Ad\ufffda?', details: '**Ad\ufffda** spent 420 EUR on *x*.' });
    expect(task.shownHash).toBe(shownHash({ title: task.title, details: task.details ?? undefined, data: task.data, form: task.form }));
    await harness.engine.decide(task.id, { by: { user: 'mia' }, decision: 'approve', form: { costCentre: 'CC-7' } });
    await harness.worker.drain();
    expect((await harness.engine.task(task.id))?.status).toBe('approved');
  });

  it('the audit record is complete in the task and in history', async () => {
    const { h, runId, task } = await startExpense();
    await h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'reject', comment: 'Not in budget', form: { costCentre: 'CC-1' } });
    await h.worker.drain();
    const audit = (await h.engine.history(runId)).find((event) => event.type === 'approvalDecided');
    expect(audit).toMatchObject({
      nodeId: 'manager',
      data: { taskId: task.id, decision: 'rejected', by: 'mia', comment: 'Not in budget', form: { costCentre: 'CC-1' }, shownHash: task.shownHash },
    });
    const stored = await h.engine.task(task.id);
    expect(stored).toMatchObject({ status: 'rejected', decision: 'rejected', decidedBy: 'mia', comment: 'Not in budget', formValues: { costCentre: 'CC-1' }, shownHash: task.shownHash });
    expect((await h.engine.getRun(runId)).output).toEqual({ refused: true });
  });

  it('refuses a non-assignee, a second decision and invalid form values, changing nothing', async () => {
    const { h, runId, task } = await startExpense();
    await expect(h.engine.decide(task.id, { by: { user: 'eve', roles: ['clerk'] }, decision: 'approve', form: { costCentre: 'CC-1' } })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: `eve is not an assignee of approval "${task.id}"`,
    });
    await expect(h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'approve', form: { costCentre: 'nope' } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: [expect.objectContaining({ path: '/costCentre' })],
    });
    await expect(h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'approve' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('costCentre is required') });
    await expect(h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'maybe' as 'approve', form: { costCentre: 'CC-1' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(h.engine.decide('no-such-task', { by: { user: 'mia' }, decision: 'approve' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await h.engine.task(task.id)).status).toBe('pending');
    expect(await h.count('SELECT COUNT(*) FROM signals')).toBe(0);

    await h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'approve', form: { costCentre: 'CC-1' } });
    await expect(h.engine.decide(task.id, { by: { user: 'sam', roles: ['manager'] }, decision: 'reject', form: { costCentre: 'CC-2' } })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/is already approved by mia at \d{4}-/),
    });
    await h.worker.drain();
    expect((await h.engine.getRun(runId)).output).toEqual({ approvedBy: 'mia' });
    expect((await h.historyTypes(runId)).filter((type) => type === 'approvalDecided:manager')).toHaveLength(1);
  });

  it('a rejection needs no form values, but values sent are checked', async () => {
    const { h, runId, task } = await startExpense();
    await expect(h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'reject', form: { costCentre: 'nope' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'reject', comment: 'No' });
    await h.worker.drain();
    expect((await h.engine.getRun(runId)).output).toEqual({ refused: true });
  });

  it('two decisions at once: exactly one wins', async () => {
    const { h, task } = await startExpense();
    const results = await Promise.allSettled([
      h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'approve', form: { costCentre: 'CC-1' } }),
      h.engine.decide(task.id, { by: { user: 'sam', roles: ['manager'] }, decision: 'reject', form: { costCentre: 'CC-2' } }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await h.count("SELECT COUNT(*) FROM signals WHERE kind = 'decision'")).toBe(1);
  });

  it('after 7 days the time-out closes the task and escalates to a director', async () => {
    const { h, clock, runId, task } = await startExpense();
    clock.advance('7d');
    await h.worker.drain();
    expect(await h.engine.task(task.id)).toMatchObject({ status: 'timed_out' });
    await expect(h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'approve', form: { costCentre: 'CC-1' } })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `approval "${task.id}" is already timed out`,
    });
    const [escalated] = await h.engine.tasksFor({ user: 'dora', roles: ['director'] });
    expect(escalated).toMatchObject({ title: 'Escalated: 420 EUR for Ada', status: 'pending' });
    expect(await h.engine.tasksFor({ user: 'mia', roles: ['manager'] })).toEqual([]);
    await h.engine.decide(escalated.id, { by: { user: 'dora', roles: ['director'] }, decision: 'approve' });
    await h.worker.drain();
    const run = await h.engine.getRun(runId);
    expect(run.output).toEqual({ approvedBy: 'dora' });
    expect(run.state.outputs.manager).toEqual({ timedOut: true });
    expect(await h.historyTypes(runId)).toEqual(expect.arrayContaining(['approvalTimedOut:manager', 'approvalDecided:director']));
  });
});

describe('a decision racing the time-out', () => {
  it('one side wins, and the task, the run and the history agree', async () => {
    const { h, clock, runId, task } = await startExpense();
    clock.advance('7d'); // the time-out's scan starts now, in the background
    const decided = await h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'approve', form: { costCentre: 'CC-1' } }).then(
      () => true,
      (error: { code?: string }) => (expect(error.code).toBe('CONFLICT'), false),
    );
    await h.worker.drain();
    const types = await h.historyTypes(runId);
    const stored = await h.engine.task(task.id);
    if (decided) {
      expect(stored.status).toBe('approved');
      expect(types).toContain('approvalDecided:manager');
      expect(types).not.toContain('approvalTimedOut:manager');
      expect((await h.engine.getRun(runId)).output).toEqual({ approvedBy: 'mia' });
    } else {
      expect(stored.status).toBe('timed_out');
      expect(types).toContain('approvalTimedOut:manager');
      expect(types).not.toContain('approvalDecided:manager');
    }
  });

  it('a decision committed before the time-out’s checkpoint wins over it', async () => {
    const { h, clock, runId, task } = await startExpense();
    // The time-out is computed while the decision is already recorded but not yet delivered.
    await h.engine.decide(task.id, { by: { user: 'mia' }, decision: 'approve', form: { costCentre: 'CC-1' } });
    clock.advance('7d');
    await h.worker.drain();
    expect(await h.engine.task(task.id)).toMatchObject({ status: 'approved' });
    expect((await h.engine.getRun(runId)).output).toEqual({ approvedBy: 'mia' });
    expect(await h.historyTypes(runId)).not.toContain('approvalTimedOut:manager');
  });
});
