// approval: render what the approver is shown, create the task with its policy, then wait. Each
// decision is recorded; the node decides when the quorum is reached or a rejection vetoes it
// (shared/runs/approval-policy.ts). Deadlines remind, escalate and finally time out or decide
// automatically (approval-deadlines.ts). Audit records go to history and the task's audit log.
import { createHash } from 'node:crypto';
import type { ApprovalConfig } from '../../../../shared/nodes/approval.node.js';
import { quorumOutcome, SINGLE_DECISION, tallyOf, type ApprovalPolicy } from '../../../../shared/runs/approval-policy.js';
import { RunFailure, runError } from '../failures.js';
import { decisionAudit } from '../inbox.js';
import type { Run } from '../run.js';
import type { Decision, Token } from '../types.js';
import { armNext, escalated, nextReminder, planDeadlines, type Assignees, type Deadlines } from './approval-deadlines.js';
import type { KindNode, NodeExecutor } from './executor.js';
import { entered } from './executor.js';

/** A hash of exactly what the approver was shown, kept with the decision for the audit trail. */
export function shownHash(shown: { title: string; details?: string; data?: unknown; form?: unknown }): string {
  return createHash('sha256').update(JSON.stringify([shown.title, shown.details ?? null, shown.data ?? null, shown.form ?? null])).digest('hex');
}

/** What the waiting token keeps (checkpointed): tokens of runs made before policies hold only taskId. */
interface Held {
  taskId: string;
  policy?: ApprovalPolicy;
  assignees?: Assignees;
  decisions?: { by: string; decision: Decision['decision']; onBehalfOf?: string }[];
  deadlines?: Deadlines;
  reminders?: number;
}

const held = (token: Token) => token.resolved as unknown as Held;

/** Who may never decide: the run's starter and whoever the node's Self-approver names. */
async function forbiddenUsers(run: Run, node: KindNode<ApprovalConfig>): Promise<string[]> {
  if (!node.config.forbidSelfApproval) return [];
  const forbidden = run.state.startedBy ? [run.state.startedBy] : [];
  if (node.config.selfApprover === undefined) return forbidden;
  const named = await run.resolve(node, 'selfApprover', node.config.selfApprover);
  const names = Array.isArray(named) ? named : [named];
  if (names.length === 0 || !names.every((name) => typeof name === 'string' && name.trim() !== '')) {
    // Failing closed: a task whose self-approver is unknown could be approved by exactly that person.
    throw new RunFailure(runError('SELF_APPROVER_INVALID', `node "${node.id}" selfApprover gave ${JSON.stringify(named) ?? 'nothing'}, not a user name (or a list of them); the task was not created`, node.id));
  }
  return [...new Set([...forbidden, ...(names as string[])])];
}

function policyOf(config: ApprovalConfig, users: string[], forbidden: string[]): ApprovalPolicy {
  const quorum = config.quorum ?? (config.approvalsNeeded !== undefined ? 'count' : 'any');
  // "all" is every named user who may decide: a forbidden one could never make it complete.
  const required = quorum === 'all' ? new Set(users.filter((user) => !forbidden.includes(user))).size : quorum === 'count' ? config.approvalsNeeded! : 1;
  return { quorum, required: Math.max(1, required), forbidden };
}

export const approvalExecutor: NodeExecutor<ApprovalConfig> = {
  async enter(run, token, node) {
    const { config } = node;
    // Shown text goes to plain text columns, which hold only whole characters: half a surrogate pair
    // (valid in JSON input) becomes U+FFFD here, before it is hashed, so what is stored is what was hashed.
    const title = String(await run.resolve(node, 'title', config.title)).toWellFormed();
    const details = config.details === undefined ? undefined : String(await run.resolve(node, 'details', config.details)).toWellFormed();
    const data = await run.resolve(node, 'data', config.data);
    const taskId = `${run.ctx.instance.id}:${node.id}:${token.visit}`;
    const assignees = { users: config.assignees.users ?? [], roles: config.assignees.roles ?? [] };
    const policy = policyOf(config, assignees.users, await forbiddenUsers(run, node));
    const deadlines = planDeadlines(config, run.ctx.now);
    const dueAt = deadlines.endAt;
    const hash = shownHash({ title, details, data, form: config.form });
    const shownPolicy = policy.required > 1 || policy.forbidden.length > 0 ? { policy } : {};
    entered(run, token, { taskId, title, details, data, assignees, ...shownPolicy, ...(dueAt ? { dueAt: run.isoTime(dueAt) } : {}) });
    run.effect({
      type: 'createTask',
      task: { id: taskId, nodeId: node.id, visit: token.visit, tokenId: token.id, title, details, data, form: config.form, assignees, shownHash: hash, dueAt, policy },
    });
    token.status = 'waiting';
    const state: Held = { taskId, policy, assignees, decisions: [], deadlines, reminders: 0 };
    token.resolved = state as unknown as Record<string, unknown>;
    armNext(run, token, deadlines);
  },

  on: {
    /** A decision recorded on the task reaches the run: counted, and the node decides once the quorum says so. */
    approvalDecided: {
      takes: (_run, token, decision) => token.status === 'waiting' && token.resolved?.taskId === decision.taskId,
      handle(run, token, _node, decision) {
        const state = held(token);
        const policy = state.policy ?? SINGLE_DECISION;
        const decisions = [...(state.decisions ?? []), { by: decision.by, decision: decision.decision, ...(decision.onBehalfOf ? { onBehalfOf: decision.onBehalfOf } : {}) }];
        const tally = tallyOf(decisions);
        const outcome = quorumOutcome(policy, tally);
        const audit = { ...decisionAudit(run, decision), ...(policy.required > 1 ? { tally: { ...tally, required: policy.required } } : {}) };
        if (outcome === 'pending') {
          state.decisions = decisions;
          run.record({ type: 'approvalDecisionRecorded', nodeId: token.nodeId, visit: token.visit, data: audit });
          return;
        }
        run.record({ type: 'approvalDecided', nodeId: token.nodeId, visit: token.visit, data: { ...audit, decision: outcome } });
        const { taskId: _taskId, shownHash: _hash, tally: _tally, ...output } = audit as typeof audit & { tally?: unknown };
        run.takePort(token, outcome, { ...output, decision: outcome, ...(policy.required > 1 ? { decisions } : {}) });
      },
    },
    timerFired(run, token, node, event) {
      if (event.purpose !== 'timeout' || token.status !== 'waiting') return;
      const state = held(token);
      const plan = state.deadlines ?? { end: 'timeout' as const, endAt: run.ctx.now };
      const now = run.ctx.now;
      if (plan.endAt !== undefined && now >= plan.endAt) return endWait(run, token, node, plan.end ?? 'timeout');
      if (plan.escalateAt !== undefined && plan.escalation && now >= plan.escalateAt) {
        state.assignees = escalated(state.assignees ?? { users: [], roles: [] }, plan.escalation);
        run.effect({ type: 'updateTask', taskId: state.taskId, change: { kind: 'escalated', mode: plan.escalation.mode, to: plan.escalation.to } });
        run.record({ type: 'approvalEscalated', nodeId: node.id, visit: token.visit, data: { taskId: state.taskId, mode: plan.escalation.mode, to: plan.escalation.to, assignees: state.assignees } });
        delete plan.escalateAt;
      }
      if (plan.nextRemindAt !== undefined && now >= plan.nextRemindAt) {
        state.reminders = (state.reminders ?? 0) + 1;
        const to = undecided(state);
        run.effect({ type: 'updateTask', taskId: state.taskId, change: { kind: 'reminded', reminder: state.reminders, to } });
        run.record({ type: 'approvalReminded', nodeId: node.id, visit: token.visit, data: { taskId: state.taskId, reminder: state.reminders, to } });
        plan.nextRemindAt = nextReminder(plan, now, state.reminders);
        if (plan.nextRemindAt === undefined) delete plan.nextRemindAt;
      }
      armNext(run, token, plan);
    },
  },

  waitsOn: (token) => ({ kind: 'approval', on: token.resolved?.taskId as string }),

  stop(run, token) {
    const taskId = token.resolved?.taskId;
    if (typeof taskId === 'string') run.effect({ type: 'closeTask', taskId, status: 'cancelled' });
  },
};

/** Those a reminder is for: the named users who have not decided (nor been decided for), and the roles. */
function undecided(state: Held): Assignees {
  const done = new Set((state.decisions ?? []).flatMap((decision) => [decision.by, decision.onBehalfOf ?? decision.by]));
  const assignees = state.assignees ?? { users: [], roles: [] };
  return { users: assignees.users.filter((user) => !done.has(user)), roles: assignees.roles };
}

/** The end of the wait: the `timeout` port, or the automatic decision's port. */
function endWait(run: Run, token: Token, node: KindNode<ApprovalConfig>, end: NonNullable<Deadlines['end']>): void {
  const { taskId } = held(token);
  if (end === 'timeout') {
    run.effect({ type: 'closeTask', taskId, status: 'timed_out' });
    run.record({ type: 'approvalTimedOut', nodeId: node.id, visit: token.visit, data: { taskId } });
    run.takePort(token, 'timeout', { timedOut: true });
    return;
  }
  const at = run.isoTime(run.ctx.now);
  const decisions = held(token).decisions ?? [];
  run.effect({ type: 'closeTask', taskId, status: end });
  run.record({ type: 'approvalAutoDecided', nodeId: node.id, visit: token.visit, data: { taskId, decision: end, at, decisions } });
  run.takePort(token, end, { decision: end, by: null, automatic: true, at, decisions });
}
