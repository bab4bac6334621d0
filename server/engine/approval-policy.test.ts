// An approval's policy on the real engine (both databases): quorums any / all / 2-of-3 with the veto
// rule (one rejection rejects), decisions arriving at the same instant, self-approval refused (the
// run's starter and a user named by an expression, admins included), and delegates deciding
// "on behalf of". Every decision is in history, in the task's decision rows and in the audit log.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import type { Approver } from './engine.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';
import { verifyAuditLog } from '../db/audit-verify.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const policyGraph = (policy: Record<string, unknown>) =>
  buildGraph(
    [
      ['start', 'start'],
      ['review', 'approval', { title: 'Approve {{ input.amount }} EUR for {{ input.employee }}?', ...policy }],
      ['yes', 'end', { output: '{{ { "approved": true } }}' }],
      ['no', 'end', { output: '{{ { "approved": false } }}' }],
    ],
    ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no'],
  );

const trio = { users: ['ann', 'bob', 'cy'] };

async function start(policy: Record<string, unknown>, options: { startedBy?: string; input?: unknown } = {}) {
  harness = await createHarness({ clock: new FakeClock(Date.UTC(2026, 2, 2, 9)) });
  await harness.publish(policyGraph(policy), 'expense');
  const { id } = await harness.engine.startRun({ workflow: 'expense', input: options.input ?? { amount: 420, employee: 'eve' }, startedBy: options.startedBy });
  await harness.worker.drain();
  return { h: harness, runId: id, taskId: `${id}:review:1` };
}

const decide = (h: Harness, taskId: string, by: Approver, decision: 'approve' | 'reject') => h.engine.decide(taskId, { by, decision });

describe('quorum', () => {
  it('"any": the first answer decides, and a second person is refused naming the decision', async () => {
    const { h, runId, taskId } = await start({ assignees: { users: ['ann', 'bob'] } });
    expect(await decide(h, taskId, { user: 'bob' }, 'reject')).toMatchObject({ status: 'rejected', decidedBy: 'bob' });
    await expect(decide(h, taskId, { user: 'ann' }, 'approve')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already rejected by bob') });
    await h.worker.drain();
    expect((await h.engine.getRun(runId)).output).toEqual({ approved: false });
  });

  it('"all": each approval is counted ("1 of 2 approved") and the last one approves', async () => {
    const { h, runId, taskId } = await start({ assignees: { users: ['ann', 'bob'] }, quorum: 'all' });
    const after = await decide(h, taskId, { user: 'ann' }, 'approve');
    expect(after).toMatchObject({ status: 'pending', policy: { quorum: 'all', required: 2 }, decisions: [{ by: 'ann', decision: 'approved' }] });
    await h.worker.drain();
    expect((await h.engine.getRun(runId)).status).toBe('waiting');
    await expect(decide(h, taskId, { user: 'ann' }, 'reject')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('each person decides once') });
    expect(await decide(h, taskId, { user: 'bob' }, 'approve')).toMatchObject({ status: 'approved', decidedBy: 'bob' });
    await h.worker.drain();
    const run = await h.engine.getRun(runId);
    expect(run.output).toEqual({ approved: true });
    expect(run.state.outputs.review).toMatchObject({ decision: 'approved', by: 'bob', decisions: [{ by: 'ann', decision: 'approved' }, { by: 'bob', decision: 'approved' }] });
    const history = await h.engine.history(runId);
    expect(history.filter((event) => event.type.startsWith('approvalDecision') || event.type === 'approvalDecided').map((event) => [event.type, event.data])).toEqual([
      ['approvalDecisionRecorded', expect.objectContaining({ by: 'ann', tally: { approvals: 1, rejections: 0, required: 2 } })],
      ['approvalDecided', expect.objectContaining({ by: 'bob', decision: 'approved', tally: { approvals: 2, rejections: 0, required: 2 } })],
    ]);
  });

  it('2 of 3: two approvals approve; the third person is then refused', async () => {
    const { h, runId, taskId } = await start({ assignees: trio, approvalsNeeded: 2 });
    await decide(h, taskId, { user: 'cy' }, 'approve');
    expect(await decide(h, taskId, { user: 'ann' }, 'approve')).toMatchObject({ status: 'approved' });
    await expect(decide(h, taskId, { user: 'bob' }, 'reject')).rejects.toMatchObject({ code: 'CONFLICT' });
    await h.worker.drain();
    expect((await h.engine.getRun(runId)).output).toEqual({ approved: true });
  });

  it('2 of 3, the rejection rule: one rejection rejects at once (a veto), even after an approval', async () => {
    const { h, runId, taskId } = await start({ assignees: trio, quorum: 'count', approvalsNeeded: 2 });
    await decide(h, taskId, { user: 'ann' }, 'approve');
    expect(await decide(h, taskId, { user: 'bob' }, 'reject')).toMatchObject({ status: 'rejected', decidedBy: 'bob' });
    await h.worker.drain();
    expect((await h.engine.getRun(runId)).output).toEqual({ approved: false });
    expect((await h.engine.history(runId)).find((event) => event.type === 'approvalDecided')?.data).toMatchObject({ decision: 'rejected', tally: { approvals: 1, rejections: 1, required: 2 } });
  });

  it('2 of 3 with two decisions at the same instant: both are counted and the node approves once', async () => {
    const { h, runId, taskId } = await start({ assignees: trio, approvalsNeeded: 2 });
    const both = await Promise.allSettled([decide(h, taskId, { user: 'ann' }, 'approve'), decide(h, taskId, { user: 'bob' }, 'approve')]);
    expect(both.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
    await h.worker.drain();
    expect((await h.engine.getRun(runId)).output).toEqual({ approved: true });
    const types = await h.historyTypes(runId);
    expect(types.filter((type) => type === 'approvalDecided:review')).toHaveLength(1);
    expect(types.filter((type) => type === 'approvalDecisionRecorded:review')).toHaveLength(1);
    expect(types).not.toContain('approvalDecisionIgnored');
    expect(await h.count('SELECT COUNT(*) FROM approval_decisions WHERE task_id = ?', taskId)).toBe(2);
    // The task settled with the second decision (each saw the other's), not cancelled with the run.
    expect(await h.engine.task(taskId)).toMatchObject({ status: 'approved', decisions: [{ decision: 'approved' }, { decision: 'approved' }] });
  });

  it('"any" with two answers at the same instant: exactly one decides, the other is refused', async () => {
    const { h, runId, taskId } = await start({ assignees: { users: ['ann', 'bob'] } });
    const both = await Promise.allSettled([decide(h, taskId, { user: 'ann' }, 'approve'), decide(h, taskId, { user: 'bob' }, 'reject')]);
    expect(both.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = both.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'CONFLICT' });
    await h.worker.drain();
    const winner = (both.find((result) => result.status === 'fulfilled') as PromiseFulfilledResult<{ status: string }>).value.status;
    expect((await h.engine.getRun(runId)).output).toEqual({ approved: winner === 'approved' });
    expect(await h.count('SELECT COUNT(*) FROM approval_decisions WHERE task_id = ?', taskId)).toBe(1);
  });
});

describe('self-approval', () => {
  it('the person who started the run may not decide, even as an admin, with a message saying why', async () => {
    const { h, runId, taskId } = await start({ assignees: { users: ['ann', 'bob'] }, forbidSelfApproval: true }, { startedBy: 'ann' });
    for (const by of [{ user: 'ann' }, { user: 'ann', admin: true }, { user: 'ann', roles: ['manager'] }]) {
      await expect(decide(h, taskId, by, 'approve')).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('self-approval is forbidden') });
    }
    expect(await h.engine.tasksFor({ user: 'ann' })).toEqual([]);
    expect(await h.count('SELECT COUNT(*) FROM approval_decisions')).toBe(0);
    await decide(h, taskId, { user: 'bob' }, 'approve');
    await h.worker.drain();
    expect((await h.engine.getRun(runId)).output).toEqual({ approved: true });
  });

  it('a user named by the selfApprover expression may not decide, nor may their delegate for them', async () => {
    const { h, taskId } = await start({ assignees: { users: ['eve', 'bob'] }, forbidSelfApproval: true, selfApprover: '{{ input.employee }}' });
    await expect(decide(h, taskId, { user: 'eve' }, 'approve')).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('self-approval') });
    const forEve = { user: 'dan', delegators: [{ user: 'eve', roles: [] }] };
    await expect(decide(h, taskId, forEve, 'approve')).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('on behalf of eve') });
    expect((await h.engine.task(taskId)).policy.forbidden).toEqual(['eve']);
  });

  it.each([
    ['gives nothing', '{{ input.nobody }}', 'SELF_APPROVER_INVALID', 'not a user name'],
    ['gives a number', '{{ 42 }}', 'SELF_APPROVER_INVALID', 'gave 42'],
    ['throws', '{{ $error("no employee") }}', 'EXPRESSION_FAILED', 'selfApprover'],
  ])('a selfApprover expression that %s fails the run naming it, and no task is created', async (_what, selfApprover, code, words) => {
    const { h, runId } = await start({ assignees: { users: ['bob'] }, forbidSelfApproval: true, selfApprover });
    const run = await h.engine.getRun(runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code, nodeId: 'review', message: expect.stringContaining(words) });
    expect(await h.count('SELECT COUNT(*) FROM approval_tasks')).toBe(0);
  });
});

describe('delegation in the rule', () => {
  it('a delegate sees and decides the delegator’s tasks; history and audit say "on behalf of"', async () => {
    const { h, runId, taskId } = await start({ assignees: { users: ['ann'], roles: ['finance'] } });
    const dan = { user: 'dan', delegators: [{ user: 'ann', roles: [] }] };
    expect((await h.engine.tasksFor(dan)).map((task) => task.id)).toEqual([taskId]);
    expect(await h.engine.tasksFor({ user: 'dan' })).toEqual([]);
    expect(await decide(h, taskId, dan, 'approve')).toMatchObject({ status: 'approved', decidedBy: 'dan', onBehalfOf: 'ann' });
    await h.worker.drain();
    expect((await h.engine.history(runId)).find((event) => event.type === 'approvalDecided')?.data).toMatchObject({ by: 'dan', onBehalfOf: 'ann' });
    expect(await h.rows('SELECT actor, on_behalf_of FROM audit_log WHERE kind = ?', 'decided')).toEqual([{ actor: 'dan', on_behalf_of: 'ann' }]);
  });

  it('a delegate standing in for a role holder, and that holder, count as one person in a quorum', async () => {
    const { h, taskId } = await start({ assignees: trio, approvalsNeeded: 2 });
    await decide(h, taskId, { user: 'dan', delegators: [{ user: 'ann', roles: [] }] }, 'approve');
    await expect(decide(h, taskId, { user: 'ann' }, 'approve')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('dan on behalf of ann already approved') });
  });
});

describe('audit log', () => {
  it('chains every task event of a workload, and names the entry once a row is altered', async () => {
    const { h, taskId } = await start({ assignees: trio, approvalsNeeded: 2 });
    await decide(h, taskId, { user: 'ann' }, 'approve');
    await decide(h, taskId, { user: 'bob' }, 'approve');
    await h.worker.drain();
    const run = <T,>(program: () => Generator<import('../db/statements.js').Statement, T, import('../db/statements.js').Row[]>) => h.database.transact(program);
    expect(await verifyAuditLog(run, h.database.dialect)).toMatchObject({ ok: true, entries: 3 });
    expect(await h.rows('SELECT seq, kind, actor FROM audit_log ORDER BY seq')).toEqual([
      { seq: 1, kind: 'created', actor: 'cairn' },
      { seq: 2, kind: 'decided', actor: 'ann' },
      { seq: 3, kind: 'decided', actor: 'bob' },
    ]);
    // The log's own row, then a decision row: each is found and named.
    await h.database.transact(function* () {
      yield { kind: 'write', sql: `UPDATE audit_log SET data = replace(data, 'approved', 'rejected') WHERE seq = 2`, params: [] };
      return undefined;
    });
    expect(await verifyAuditLog(run, h.database.dialect)).toMatchObject({ ok: false, seq: 2, problem: expect.stringContaining('entry 2 (decided of task') });
  });
});
