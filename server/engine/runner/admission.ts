// The admission contract: how a new run reaches what makes its first transition — this process's
// worker (worker.ts) or, with no worker here, the queue other processes' workers claim from
// (queued-admission.ts) — and the one shape in which a new run is first written.
import { initialState } from '../core/interpreter.js';
import type { Checkpoint, CheckpointResult, InstanceRecord, NewInstance, VersionRecord } from '../store.js';
import type { RunTrace } from './trace-context.js';

/** A run startRun has checked (version, input, idempotency key, depth) and named. */
export interface NewRun {
  id: string;
  input: unknown;
  idempotencyKey?: string;
  parentId?: string;
  /** The run's trace context, kept in its state from the first checkpoint on (trace-context.ts). */
  trace?: RunTrace;
  /** Who started it, kept in its state (self-approval is refused to them). */
  startedBy?: string;
}

export type AdmitResult = { ok: true; status: InstanceRecord['status'] } | Exclude<CheckpointResult, { ok: true }>;

export interface Admission {
  /** Write the run; resolves once its first checkpoint is committed. */
  admit(version: VersionRecord, run: NewRun): Promise<AdmitResult>;
  /** Something was posted to a run's inbox: look for work now rather than at the next wake-up. */
  poke(): void;
}

export type FirstCheckpoint = Checkpoint & { create: NewInstance };

/** A checkpoint's side tables left as they are: no timers, tasks or signals set or cleared (fresh lists: later steps may add to them). */
export function noChanges(): Pick<Checkpoint, 'timersToSet' | 'timersToDelete' | 'tasksToCreate' | 'tasksToClose' | 'taskUpdates' | 'signalsDelivered'> {
  return { timersToSet: [], timersToDelete: [], tasksToCreate: [], tasksToClose: [], taskUpdates: [], signalsDelivered: [] };
}

/** The core's initial state with what the run keeps from its start (set, not spread: see finish in core/interpreter.ts). */
function firstState(run: NewRun): FirstCheckpoint['state'] {
  const state = initialState();
  if (run.trace) state.trace = run.trace;
  if (run.startedBy) state.startedBy = run.startedBy;
  return state;
}

/**
 * A new run as first written: revision 0, `pending`, the core's initial state, no history and no
 * lease. A worker's first transition replaces state, status and lease before the write.
 */
export function firstCheckpoint(version: Pick<VersionRecord, 'workflowId' | 'versionId' | 'version'>, run: NewRun, at: number): FirstCheckpoint {
  return {
    instanceId: run.id,
    create: {
      workflowId: version.workflowId,
      versionId: version.versionId,
      version: version.version,
      input: run.input,
      idempotencyKey: run.idempotencyKey,
      parentId: run.parentId,
    },
    expectedRev: 0,
    status: 'pending',
    state: firstState(run),
    waitingOn: [],
    history: [],
    ...noChanges(),
    lease: null,
    at,
  };
}

/** The row a first checkpoint stands for, as a worker that writes it holds it in memory. */
export function admittedRecord(version: VersionRecord, first: FirstCheckpoint, lease: { owner: string; expiresAt: number }): InstanceRecord {
  const { create } = first;
  return {
    id: first.instanceId,
    workflowId: create.workflowId,
    workflowSlug: version.workflowSlug,
    versionId: create.versionId,
    version: create.version,
    status: first.status,
    input: create.input,
    output: null,
    error: null,
    state: first.state,
    rev: first.expectedRev,
    historyCount: 0,
    waitingOn: first.waitingOn,
    leaseOwner: lease.owner,
    leaseExpiresAt: lease.expiresAt,
    idempotencyKey: create.idempotencyKey ?? null,
    parentId: create.parentId ?? null,
    createdAt: first.at,
    updatedAt: first.at,
    finishedAt: null,
  };
}
