// The engine's storage interface: claims with leases, group-committed checkpoints and timers.
// SQLite implements it in server/db/sqlite/; a PostgreSQL store must give the same guarantees.
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { HistoryEntry, InstanceStatus, RunError, RunState, TimerPurpose, WaitingOn } from './core/types.js';

export interface VersionRecord {
  versionId: string;
  workflowId: string;
  workflowSlug: string;
  version: number;
  graph: Graph;
}

export interface InstanceRecord {
  id: string;
  workflowId: string;
  workflowSlug: string;
  versionId: string;
  version: number;
  status: InstanceStatus;
  input: unknown;
  output: unknown;
  error: RunError | null;
  state: RunState;
  rev: number;
  historyCount: number;
  waitingOn: WaitingOn[];
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  idempotencyKey: string | null;
  parentId: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface HistoryRecord extends HistoryEntry {
  seq: number;
  at: number;
}

export interface TimerRecord {
  id: string;
  instanceId: string;
  tokenId: string;
  purpose: TimerPurpose;
  dueAt: number;
}

export interface NewInstance {
  workflowId: string;
  versionId: string;
  version: number;
  input: unknown;
  idempotencyKey?: string;
  parentId?: string;
}

/** One transition of one run, written atomically with the others of its batch. */
export interface Checkpoint {
  instanceId: string;
  /** Present when this checkpoint creates the instance. */
  create?: NewInstance;
  /** The revision the transition was computed from; the write is refused if the row moved on. */
  expectedRev: number;
  status: InstanceStatus;
  state: RunState;
  output?: unknown;
  error?: RunError;
  waitingOn: WaitingOn[];
  history: HistoryRecord[];
  timersToSet: TimerRecord[];
  timersToDelete: string[];
  /** The lease to hold after this checkpoint; null releases it (the run waits or has finished). */
  lease: { owner: string; expiresAt: number } | null;
  at: number;
}

export type CheckpointResult = { ok: true } | { ok: false; reason: 'conflict' } | { ok: false; reason: 'duplicate'; existingId: string };

export interface DueTimers {
  instance: InstanceRecord;
  timers: TimerRecord[];
}

export interface EngineStore {
  /** Write every checkpoint in one transaction (group commit); results are in the same order. */
  commit(checkpoints: Checkpoint[]): Promise<CheckpointResult[]>;
  /** Lease runs that should be running but nobody holds: pending, or running with an expired lease. */
  claimRecoverable(options: ClaimOptions): Promise<InstanceRecord[]>;
  /** Lease the runs of timers due by `now` (including runs `owner` already holds). */
  claimDueTimers(options: ClaimOptions): Promise<DueTimers[]>;
  /** The earliest moment a timer falls due or another owner's lease expires; null when neither. */
  nextWakeAt(owner: string): Promise<number | null>;
  renewLeases(owner: string, instanceIds: string[], expiresAt: number): Promise<void>;
  releaseLeases(owner: string, instanceIds: string[]): Promise<void>;
  loadVersion(versionId: string): Promise<VersionRecord>;
  activeVersion(workflowSlug: string): Promise<VersionRecord | undefined>;
  findInstance(id: string): Promise<InstanceRecord | undefined>;
  findByIdempotencyKey(workflowId: string, key: string): Promise<InstanceRecord | undefined>;
  history(instanceId: string): Promise<HistoryRecord[]>;
}

export interface ClaimOptions {
  owner: string;
  now: number;
  leaseExpiresAt: number;
  limit: number;
  /** Instance ids the caller is already handling, to leave out. */
  exclude?: ReadonlySet<string>;
}
