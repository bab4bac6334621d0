// A checkpoint in row form: every JSON column already serialized. Built on the engine's thread, so
// the writer (inline or on its own thread) only binds values, and crossing threads copies strings.
import { FINISHED_STATUSES } from '../../engine/core/types.js';
import type { Checkpoint } from '../../engine/store.js';
import { json } from './rows.js';

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
  at: number;
  /** [seq, type, nodeId, visit, attempt, data, at] */
  history: [number, string, string | null, number | null, number | null, string | null, number][];
  /** [id, tokenId, purpose, dueAt] */
  timersToSet: [string, string, string, number][];
  timersToDelete: string[];
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
    at: checkpoint.at,
    history: checkpoint.history.map((entry) => [entry.seq, entry.type, entry.nodeId ?? null, entry.visit ?? null, entry.attempt ?? null, json(entry.data), entry.at]),
    timersToSet: checkpoint.timersToSet.map((timer) => [timer.id, timer.tokenId, timer.purpose, timer.dueAt]),
    timersToDelete: checkpoint.timersToDelete,
  };
}
