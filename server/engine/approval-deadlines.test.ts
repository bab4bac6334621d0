// Deadlines that act, on the fake clock (both databases): reminders at each interval to those who
// have not decided, the escalation at T1 (the new assignee sees the task), the automatic decision at
// T2 (rejecting unless the author chose approve), each in history and the audit log; a decision made
// just before T2 wins.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';
import { verifyAuditLog } from '../db/audit-verify.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const T0 = Date.UTC(2026, 2, 2, 9);
const HOUR = 3600_000;

const graph = (policy: Record<string, unknown>) =>
  buildGraph(
    [
      ['start', 'start'],
      ['review', 'approval', { title: 'Approve?', ...policy }],
      ['yes', 'end', { output: '{{ { "approved": true, "by": nodes.review.by } }}' }],
      ['no', 'end', { output: '{{ { "approved": false, "automatic": nodes.review.automatic } }}' }],
      ['late', 'end', { output: '{{ { "timedOut": true } }}' }],
    ],
    ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no', 'review.timeout -> late'],
  );

async function start(policy: Record<string, unknown>) {
  const clock = new FakeClock(T0);
  harness = await createHarness({ clock });
  await harness.publish(graph(policy), 'deadlines');
  const { id } = await harness.engine.startRun({ workflow: 'deadlines', input: {} });
  await harness.worker.drain();
  const h = harness;
  /** Move the clock to T0 + `hours` and let the worker do what fell due. */
  const at = async (hours: number) => {
    clock.set(T0 + hours * HOUR);
    await h.worker.drain();
  };
  return { h, clock, at, runId: id, taskId: `${id}:review:1` };
}

const events = async (h: Harness, runId: string, type: string) => (await h.engine.history(runId)).filter((event) => event.type === type);

describe('deadlines', () => {
  it('remind every hour, escalate at 3h (adding dora), reject automatically at 5h', async () => {
    const policy = { assignees: { users: ['ann', 'bob', 'cy'] }, approvalsNeeded: 2, remindEvery: '1h', escalateAfter: '3h', escalateTo: { users: ['dora'] }, decideAfter: '5h' };
    const { h, at, runId, taskId } = await start(policy);
    expect(await h.engine.tasksFor({ user: 'dora' })).toEqual([]);

    await at(1);
    expect((await events(h, runId, 'approvalReminded')).map((event) => event.data)).toEqual([{ taskId, reminder: 1, to: { users: ['ann', 'bob', 'cy'], roles: [] } }]);
    expect(await h.engine.task(taskId)).toMatchObject({ reminders: 1, remindedAt: T0 + HOUR, status: 'pending' });

    await at(1.5);
    await h.engine.decide(taskId, { by: { user: 'ann' }, decision: 'approve' });
    await at(2);
    expect((await events(h, runId, 'approvalReminded'))[1].data).toEqual({ taskId, reminder: 2, to: { users: ['bob', 'cy'], roles: [] } });

    await at(3);
    const [escalation] = await events(h, runId, 'approvalEscalated');
    expect(escalation.data).toEqual({ taskId, mode: 'add', to: { users: ['dora'], roles: [] }, assignees: { users: ['ann', 'bob', 'cy', 'dora'], roles: [] } });
    expect(escalation.at).toBe(T0 + 3 * HOUR);
    expect((await h.engine.tasksFor({ user: 'dora' })).map((task) => task.id)).toEqual([taskId]);
    expect(await h.engine.task(taskId)).toMatchObject({ escalatedAt: T0 + 3 * HOUR, reminders: 3 });
    expect((await events(h, runId, 'approvalReminded'))[2].data).toMatchObject({ reminder: 3, to: { users: ['bob', 'cy', 'dora'] } });

    await at(4);
    expect(await events(h, runId, 'approvalReminded')).toHaveLength(4);
    await at(4.99);
    expect((await h.engine.getRun(runId)).status).toBe('waiting');

    await at(5);
    const run = await h.engine.getRun(runId);
    expect(run.output).toEqual({ approved: false, automatic: true });
    expect((await events(h, runId, 'approvalAutoDecided'))[0].data).toMatchObject({ taskId, decision: 'rejected', decisions: [{ by: 'ann', decision: 'approved' }] });
    expect(await h.engine.task(taskId)).toMatchObject({ status: 'rejected', decidedBy: 'cairn', decidedAt: T0 + 5 * HOUR });
    // No reminder at or after the end.
    expect(await events(h, runId, 'approvalReminded')).toHaveLength(4);
    expect(await h.count('SELECT COUNT(*) FROM timers')).toBe(0);

    expect((await h.rows<{ kind: string }>('SELECT kind FROM audit_log ORDER BY seq')).map((row) => row.kind)).toEqual([
      'created', 'reminded', 'decided', 'reminded', 'escalated', 'reminded', 'reminded', 'auto_decided',
    ]);
    expect(await verifyAuditLog((program) => h.database.transact(program), h.database.dialect)).toMatchObject({ ok: true, entries: 8 });
  });

  it('escalation "reassign" hands the task to a role: the old assignee no longer sees it', async () => {
    const { h, at, taskId } = await start({ assignees: { users: ['ann'] }, escalateAfter: '2h', escalateTo: { roles: ['director'] }, escalation: 'reassign' });
    await at(2);
    expect(await h.engine.tasksFor({ user: 'ann' })).toEqual([]);
    expect((await h.engine.tasksFor({ user: 'zed', roles: ['director'] })).map((task) => task.id)).toEqual([taskId]);
    await expect(h.engine.decide(taskId, { by: { user: 'ann' }, decision: 'approve' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await h.engine.decide(taskId, { by: { user: 'zed', roles: ['director'] }, decision: 'approve' });
    await at(2.1);
    expect(await h.engine.task(taskId)).toMatchObject({ status: 'approved', decidedBy: 'zed', assignees: { users: [], roles: ['director'] } });
  });

  it('a decision made just before T2 wins over the automatic decision due in the same scan', async () => {
    const { h, clock, runId, taskId } = await start({ assignees: { users: ['bob'] }, decideAfter: '5h', autoDecision: 'reject' });
    clock.set(T0 + 5 * HOUR - 1000);
    await h.engine.decide(taskId, { by: { user: 'bob' }, decision: 'approve' });
    clock.set(T0 + 5 * HOUR + 1000);
    await h.worker.drain();
    expect((await h.engine.getRun(runId)).output).toEqual({ approved: true, by: 'bob' });
    expect(await events(h, runId, 'approvalAutoDecided')).toEqual([]);
    expect(await h.engine.task(taskId)).toMatchObject({ status: 'approved', decidedBy: 'bob' });
  });

  it('a decision after T2 is refused: the task was decided automatically', async () => {
    const { h, at, taskId } = await start({ assignees: { users: ['bob'] }, decideAfter: '5h', autoDecision: 'approve' });
    await at(5);
    expect(await h.engine.task(taskId)).toMatchObject({ status: 'approved', decidedBy: 'cairn' });
    await expect(h.engine.decide(taskId, { by: { user: 'bob' }, decision: 'reject' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already approved by cairn') });
  });

  it('reminders also run before a plain timeout, which still takes the timeout port', async () => {
    const { h, at, runId } = await start({ assignees: { roles: ['finance'] }, remindEvery: '1d', timeout: '3d' });
    for (const hours of [24, 48, 72]) await at(hours);
    expect((await events(h, runId, 'approvalReminded')).map((event) => event.at)).toEqual([T0 + 24 * HOUR, T0 + 48 * HOUR]);
    expect((await h.engine.getRun(runId)).output).toEqual({ timedOut: true });
  });

  it('a worker down over several reminders sends one, not a burst, and keeps the interval', async () => {
    const { h, at, runId } = await start({ assignees: { users: ['ann'] }, remindEvery: '1h', decideAfter: '10h' });
    await at(3.5);
    expect(await events(h, runId, 'approvalReminded')).toHaveLength(1);
    await at(4);
    expect((await events(h, runId, 'approvalReminded')).map((event) => event.at)).toEqual([T0 + 3.5 * HOUR, T0 + 4 * HOUR]);
  });

  it('stops reminding after 100 reminders, so a long wait cannot fill the run\'s history', async () => {
    const { h, at, runId } = await start({ assignees: { users: ['ann'] }, remindEvery: '1h', decideAfter: '30d' });
    for (let hours = 1; hours <= 110; hours++) await at(hours);
    expect(await events(h, runId, 'approvalReminded')).toHaveLength(100);
    expect((await h.engine.getRun(runId)).status).toBe('waiting');
    await at(30 * 24);
    expect((await h.engine.getRun(runId)).output).toEqual({ approved: false, automatic: true });
  });
});
