// approval: render what the approver is shown, create the task, wait for one decision or the
// time-out. The decision's audit record goes to history; the node's output is the decision.
import { createHash } from 'node:crypto';
import { durationMs } from '../../../../shared/durations.js';
import type { Run } from '../run.js';
import type { Decision } from '../types.js';
import type { NodeExecutor } from './executor.js';
import { entered } from './executor.js';

interface ApprovalConfig {
  title: string;
  details?: string;
  data?: string;
  assignees: { users?: string[]; roles?: string[] };
  form?: Record<string, unknown>;
  timeout?: string;
}

/** A hash of exactly what the approver was shown, kept with the decision for the audit trail. */
export function shownHash(shown: { title: string; details?: string; data?: unknown; form?: unknown }): string {
  return createHash('sha256').update(JSON.stringify([shown.title, shown.details ?? null, shown.data ?? null, shown.form ?? null])).digest('hex');
}

export const approvalExecutor: NodeExecutor = {
  async enter(run, token, node) {
    const config = node.config as unknown as ApprovalConfig;
    // Shown text goes to plain text columns, which hold only whole characters: half a surrogate pair
    // (valid in JSON input) becomes U+FFFD here, before it is hashed, so what is stored is what was hashed.
    const title = String(await run.resolve(node, 'title', config.title)).toWellFormed();
    const details = config.details === undefined ? undefined : String(await run.resolve(node, 'details', config.details)).toWellFormed();
    const data = await run.resolve(node, 'data', config.data);
    const taskId = `${run.ctx.instance.id}:${node.id}:${token.visit}`;
    const dueAt = config.timeout ? run.ctx.now + durationMs(config.timeout) : undefined;
    const assignees = { users: config.assignees.users ?? [], roles: config.assignees.roles ?? [] };
    const hash = shownHash({ title, details, data, form: config.form });
    entered(run, token, { taskId, title, details, data, assignees, ...(dueAt ? { dueAt: run.isoTime(dueAt) } : {}) });
    run.effect({
      type: 'createTask',
      task: { id: taskId, nodeId: node.id, visit: token.visit, tokenId: token.id, title, details, data, form: config.form, assignees, shownHash: hash, dueAt },
    });
    token.status = 'waiting';
    token.resolved = { taskId };
    if (dueAt) run.setTimer(token, 'timeout', dueAt);
  },

  timerFired(run, token, node, purpose) {
    if (purpose !== 'timeout' || token.status !== 'waiting') return;
    const taskId = String(token.resolved?.taskId);
    run.effect({ type: 'closeTask', taskId, status: 'timed_out' });
    run.record({ type: 'approvalTimedOut', nodeId: node.id, visit: token.visit, data: { taskId } });
    run.takePort(token, 'timeout', { timedOut: true });
  },
};

/** A decision recorded on the task reaches the run: the waiting token continues. */
export function applyDecision(run: Run, decision: Decision): void {
  const token = run.state.tokens.find((candidate) => candidate.status === 'waiting' && candidate.resolved?.taskId === decision.taskId);
  const audit = { taskId: decision.taskId, decision: decision.decision, by: decision.by, at: run.isoTime(decision.at), comment: decision.comment, form: decision.form, shownHash: decision.shownHash };
  if (!token) {
    run.record({ type: 'approvalDecisionIgnored', data: { ...audit, reason: 'the approval was no longer waiting (timed out or cancelled)' } });
    return;
  }
  run.record({ type: 'approvalDecided', nodeId: token.nodeId, visit: token.visit, data: audit });
  const { taskId: _taskId, shownHash: _hash, ...output } = audit;
  run.takePort(token, decision.decision, output);
}
