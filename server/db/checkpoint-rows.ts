// A checkpoint in row form: every JSON column already serialized. Built on the engine's thread, so
// the writer (inline or on its own thread) only binds values, and crossing threads copies strings.
import { FINISHED_STATUSES, type TaskChange, type TaskClosing } from '../engine/core/types.js';
import type { Checkpoint } from '../engine/store.js';
import { json } from './engine-rows.js';

export interface CheckpointRows {
  id: string;
  create: null | {
    workflowId: string;
    versionId: string;
    version: number;
    input: string;
    idempotencyKey: string | null;
    parentId: string | null;
  };
  expectedRev: number;
  finished: boolean;
  status: string;
  output: string | null;
  error: string | null;
  state: string;
  waitingOn: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  /** Status and lease columns stay as the row has them (Checkpoint.statusAndLeaseKept). */
  statusAndLeaseKept: boolean;
  at: number;
  /** [seq, type, nodeId, visit, attempt, data, at] */
  history: [number, string, string | null, number | null, number | null, string | null, number][];
  /** [id, tokenId, purpose, dueAt] */
  timersToSet: [string, string, string, number][];
  timersToDelete: string[];
  /** [id, nodeId, visit, tokenId, title, details, data, form, shownHash, dueAt, users, roles, policy] */
  tasksToCreate: [string, string, number, string, string, string | null, string | null, string | null, string, number | null, string[], string[], string | null][];
  tasksToClose: [string, TaskClosing][];
  /** A reminder or escalation of an open task: [taskId, change]. */
  taskUpdates: [string, TaskChange][];
  signalsDelivered: string[];
  cancelChildren: null | { prefix: string; data: string };
  notifyParent: null | { parentId: string; signalId: string; data: string };
}

export function toCheckpointRows(checkpoint: Checkpoint): CheckpointRows {
  const { create } = checkpoint;
  return {
    id: checkpoint.instanceId,
    create: create
      ? {
          workflowId: create.workflowId,
          versionId: create.versionId,
          version: create.version,
          input: JSON.stringify(create.input ?? null),
          idempotencyKey: create.idempotencyKey ?? null,
          parentId: create.parentId ?? null,
        }
      : null,
    expectedRev: checkpoint.expectedRev,
    finished: FINISHED_STATUSES.includes(checkpoint.status),
    status: checkpoint.status,
    output: json(checkpoint.output),
    error: json(checkpoint.error),
    state: JSON.stringify(checkpoint.state),
    waitingOn: checkpoint.waitingOn.length ? JSON.stringify(checkpoint.waitingOn) : null,
    leaseOwner: checkpoint.lease?.owner ?? null,
    leaseExpiresAt: checkpoint.lease?.expiresAt ?? null,
    statusAndLeaseKept: checkpoint.statusAndLeaseKept === true,
    at: checkpoint.at,
    history: checkpoint.history.map((entry) => [entry.seq, entry.type, entry.nodeId ?? null, entry.visit ?? null, entry.attempt ?? null, json(entry.data), entry.at]),
    timersToSet: checkpoint.timersToSet.map((timer) => [timer.id, timer.tokenId, timer.purpose, timer.dueAt]),
    timersToDelete: checkpoint.timersToDelete,
    tasksToCreate: checkpoint.tasksToCreate.map((task) => [
      task.id, task.nodeId, task.visit, task.tokenId, task.title, task.details ?? null, json(task.data), json(task.form), task.shownHash, task.dueAt ?? null,
      task.assignees.users, task.assignees.roles, task.policy ? JSON.stringify(task.policy) : null,
    ]),
    tasksToClose: checkpoint.tasksToClose.map((close) => [close.taskId, close.status]),
    taskUpdates: checkpoint.taskUpdates.map((update) => [update.taskId, update.change]),
    signalsDelivered: checkpoint.signalsDelivered,
    cancelChildren: checkpoint.cancelChildren
      ? { prefix: checkpoint.cancelChildren.signalIdPrefix, data: JSON.stringify({ compensate: checkpoint.cancelChildren.compensate, by: `parent ${checkpoint.instanceId}` }) }
      : null,
    notifyParent: checkpoint.notifyParent
      ? { parentId: checkpoint.notifyParent.parentId, signalId: checkpoint.notifyParent.signalId, data: JSON.stringify(checkpoint.notifyParent.data) }
      : null,
  };
}
