// The audit entries a checkpoint's task writes make (both stores): a task created, reminded,
// escalated, decided automatically, timed out or cancelled. Human decisions are appended by the
// stores' decide, in the decision's own transaction.
import type { AuditDraft } from './audit-chain.js';
import type { CheckpointRows } from './checkpoint-rows.js';

/** Who acts when the run itself does something to a task (a deadline). */
export const ENGINE_ACTOR = 'cairn';

const base = (rows: CheckpointRows, taskId: string) => ({ at: rows.at, taskId, instanceId: rows.id, onBehalfOf: null });

export function createdEntries(rows: CheckpointRows): AuditDraft[] {
  return rows.tasksToCreate.map(([taskId, nodeId, visit, , title, , , , shownHash, dueAt, users, roles, policy]) => ({
    ...base(rows, taskId),
    kind: 'created' as const,
    actor: ENGINE_ACTOR,
    data: { nodeId, visit, title, assignees: { users, roles }, policy: policy ? JSON.parse(policy) : null, dueAt },
    shownHash,
  }));
}

/** `closed`: the closings that changed a pending task (a task already settled is not closed again). */
export function closedEntries(rows: CheckpointRows, closed: ReadonlySet<string>): AuditDraft[] {
  return rows.tasksToClose
    .filter(([taskId]) => closed.has(taskId))
    .map(([taskId, status]) => ({
      ...base(rows, taskId),
      kind: status === 'approved' || status === 'rejected' ? ('auto_decided' as const) : status,
      actor: ENGINE_ACTOR,
      data: status === 'approved' || status === 'rejected' ? { decision: status, automatic: true } : { status },
      shownHash: null,
    }));
}

export function updateEntries(rows: CheckpointRows): AuditDraft[] {
  return rows.taskUpdates.map(([taskId, change]) => ({ ...base(rows, taskId), kind: change.kind, actor: ENGINE_ACTOR, data: change, shownHash: null }));
}
