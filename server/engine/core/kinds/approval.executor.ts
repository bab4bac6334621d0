// approval: render what the approver is shown, create the task, wait for one decision or the
// time-out. The decision's audit record goes to history; the node's output is the decision.
import { createHash } from 'node:crypto';
import { durationMs } from '../../../../shared/durations.js';
import type { ApprovalConfig } from '../../../../shared/nodes/approval.node.js';
import { decisionAudit } from '../inbox.js';
import type { NodeExecutor } from './executor.js';
import { entered } from './executor.js';
import { onTimeout } from './timer-kind.js';

/** A hash of exactly what the approver was shown, kept with the decision for the audit trail. */
export function shownHash(shown: { title: string; details?: string; data?: unknown; form?: unknown }): string {
  return createHash('sha256').update(JSON.stringify([shown.title, shown.details ?? null, shown.data ?? null, shown.form ?? null])).digest('hex');
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

  on: {
    /** A decision recorded on the task reaches the run: the token waiting on that task continues. */
    approvalDecided: {
      takes: (_run, token, decision) => token.status === 'waiting' && token.resolved?.taskId === decision.taskId,
      handle(run, token, _node, decision) {
        const audit = decisionAudit(run, decision);
        run.record({ type: 'approvalDecided', nodeId: token.nodeId, visit: token.visit, data: audit });
        const { taskId: _taskId, shownHash: _hash, ...output } = audit;
        run.takePort(token, decision.decision, output);
      },
    },
    timerFired: onTimeout((run, token, node) => {
      const taskId = String(token.resolved?.taskId);
      run.effect({ type: 'closeTask', taskId, status: 'timed_out' });
      run.record({ type: 'approvalTimedOut', nodeId: node.id, visit: token.visit, data: { taskId } });
    }),
  },

  waitsOn: (token) => ({ kind: 'approval', on: token.resolved?.taskId as string }),

  stop(run, token) {
    const taskId = token.resolved?.taskId;
    if (typeof taskId === 'string') run.effect({ type: 'closeTask', taskId, status: 'cancelled' });
  },
};
