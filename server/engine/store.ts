// The engine's storage interface: claims with leases, group-committed checkpoints and timers.
// SQLite implements it in server/db/sqlite/; a PostgreSQL store must give the same guarantees.
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { ApprovalPolicy } from '../../shared/runs/approval-policy.js';
import { FINISHED_STATUSES, type HistoryEntry, type InstanceStatus, type NewTask, type RunError, type RunState, type TaskChange, type TaskClosing, type TimerPurpose, type WaitingOn } from './core/types.js';

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
  /** Set by a claim that replaced a lease nobody gave back: the processing that held it was interrupted. */
  interrupted?: true;
}

/** A stored event: the engine writes a HistoryEntry (typed by shared/runs/history.ts); rows are read back as they were stored. */
export interface HistoryRecord {
  seq: number;
  at: number;
  type: HistoryEntry['type'] | (string & {});
  nodeId?: string;
  visit?: number;
  attempt?: number;
  data?: unknown;
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
  tasksToCreate: NewTask[];
  tasksToClose: { taskId: string; status: TaskClosing }[];
  /** Reminders and escalations of open tasks (each also appended to the audit log). */
  taskUpdates: { taskId: string; change: TaskChange }[];
  /** Inbox rows this checkpoint consumed. */
  signalsDelivered: string[];
  /** Ask every unfinished child run to cancel (a cancel row in each child's inbox). */
  cancelChildren?: { compensate: boolean; signalIdPrefix: string };
  /** A finished child tells its parent (a child row in the parent's inbox). */
  notifyParent?: { parentId: string; signalId: string; data: unknown };
  /** The lease to hold after this checkpoint; null releases it (the run waits or has finished). */
  lease: { owner: string; expiresAt: number } | null;
  /**
   * The row keeps its status and lease as they are (a running run's step, well within its lease;
   * CheckpointDraft.keepsStatusAndLease): a store may leave those columns — the ones its claim
   * indexes hold — untouched.
   */
  statusAndLeaseKept?: boolean;
  at: number;
}

/** Whether a checkpoint changes what an inbox shows: a task appears or closes, or its run ends. */
export function changesTasks(checkpoint: Checkpoint): boolean {
  return checkpoint.tasksToCreate.length > 0 || checkpoint.tasksToClose.length > 0 || checkpoint.taskUpdates.length > 0 || FINISHED_STATUSES.includes(checkpoint.status);
}

export type CheckpointResult = { ok: true } | { ok: false; reason: 'conflict' } | { ok: false; reason: 'duplicate'; existingId: string };

export interface DueTimers {
  instance: InstanceRecord;
  timers: TimerRecord[];
}

/** `pause` and `resume` are an operator's (runner/pause.ts); a paused run's inbox keeps everything else for after the resume. */
export type SignalKind = 'signal' | 'decision' | 'cancel' | 'child' | 'retry' | 'pause' | 'resume';

export interface SignalRecord {
  id: string;
  instanceId: string;
  kind: SignalKind;
  name: string | null;
  data: unknown;
  createdAt: number;
}

/** At most `count` signals and `bytes` of their data per run; `bytes` of the one being posted is `adding`. */
export interface SignalCap {
  count: number;
  bytes: number;
  adding: number;
}

/** What a run already held when a capped post was refused, or that it was posted. */
export type CappedPost = { posted: true } | { posted: false; reason: 'finished' } | { posted: false; reason: 'full'; held: { count: number; bytes: number } };

export interface Inbound {
  instance: InstanceRecord;
  signals: SignalRecord[];
}

export interface TaskRecord {
  id: string;
  instanceId: string;
  workflowSlug: string;
  nodeId: string;
  visit: number;
  title: string;
  details: string | null;
  data: unknown;
  form: Record<string, unknown> | null;
  assignees: { users: string[]; roles: string[] };
  shownHash: string;
  status: 'pending' | 'approved' | 'rejected' | 'timed_out' | 'cancelled';
  dueAt: number | null;
  createdAt: number;
  decidedAt: number | null;
  decidedBy: string | null;
  decision: string | null;
  comment: string | null;
  formValues: unknown;
  /** Set when decidedBy decided as the delegate of this person. */
  onBehalfOf: string | null;
  policy: ApprovalPolicy;
  /** Every individual decision so far, in order (a quorum counts them). */
  decisions: TaskVote[];
  reminders: number;
  remindedAt: number | null;
  escalatedAt: number | null;
}

/** One person's decision on a task. */
export interface TaskVote {
  by: string;
  onBehalfOf: string | null;
  decision: 'approved' | 'rejected';
  comment: string | null;
  at: number;
}

export interface TaskDecision {
  taskId: string;
  /** This person's decision; the task's status follows once the quorum is settled. */
  status: 'approved' | 'rejected';
  by: string;
  onBehalfOf?: string;
  at: number;
  comment?: string;
  form?: unknown;
  /** How it reached Cairn when not by the web app or the API (the audit log says so). */
  via?: 'email';
  signalId: string;
  /** The inbox payload that brings the decision to the run. */
  data: unknown;
}

/** `already-decided`: this person (or someone for them) has already decided this task. */
export type DecideOutcome = 'decided' | 'not-pending' | 'already-decided';

export interface EngineStore {
  /** Write every checkpoint in one transaction (group commit); results are in the same order. */
  commit(checkpoints: Checkpoint[]): Promise<CheckpointResult[]>;
  /**
   * How the worker should batch commits: at most `maxBatch` checkpoints per transaction and up to
   * `inFlight` transactions at once. A run never has two checkpoints in flight, so concurrent
   * batches touch different runs. Default: up to 2,000 per batch, one at a time (a single writer, as SQLite is).
   */
  readonly commitShape?: { maxBatch: number; inFlight: number };
  /** Lease runs that should be running but nobody holds: pending, or running with an expired lease. */
  claimRecoverable(options: ClaimOptions): Promise<InstanceRecord[]>;
  /** Lease the runs of timers due by `now` (including runs `owner` already holds). */
  claimDueTimers(options: ClaimOptions): Promise<DueTimers[]>;
  /** Lease the runs that have undelivered inbox rows (signals, decisions, cancels, child results). */
  claimInbound(options: ClaimOptions): Promise<Inbound[]>;
  /** Write a row to a run's inbox, unless the run has finished; false when it has. */
  postSignal(signal: SignalRecord): Promise<boolean>;
  /**
   * Post a named signal unless the run has finished or the signals it holds that no `event` node
   * has taken (its undelivered inbox signals plus those buffered in its state) would pass `cap`.
   * Counted and written atomically, so senders racing one another cannot pass the cap together.
   */
  postCappedSignal(signal: SignalRecord, cap: SignalCap): Promise<CappedPost>;
  /** How many runs up the run's chain of parents goes (a root run is 0), counting at most `limit`. */
  runDepth(instanceId: string, limit: number): Promise<number>;
  /**
   * Record one person's decision on a pending task, close the task if it settles the quorum, post it
   * to the run's inbox and append it to the audit log, atomically. Decisions on one task are
   * serialized, so two arriving at once are both counted or the later one finds the task settled.
   */
  decideTask(decision: TaskDecision): Promise<DecideOutcome>;
  findTask(taskId: string): Promise<TaskRecord | undefined>;
  /** Reopen a failed run and post the retry to its inbox, atomically; false if it is not failed. */
  reopenForRetry(signal: SignalRecord): Promise<boolean>;
  /** Tasks a user may decide: assigned to them or to one of their roles (all, for an admin). */
  tasksFor(who: { user: string; roles: readonly string[]; admin?: boolean; status?: TaskRecord['status'] }): Promise<TaskRecord[]>;
  /** The earliest moment a timer falls due, an inbox row waits or another owner's lease expires. */
  nextWakeAt(owner: string): Promise<number | null>;
  renewLeases(owner: string, instanceIds: string[], expiresAt: number): Promise<void>;
  releaseLeases(owner: string, instanceIds: string[]): Promise<void>;
  loadVersion(versionId: string): Promise<VersionRecord>;
  activeVersion(workflowSlug: string): Promise<VersionRecord | undefined>;
  findInstance(id: string): Promise<InstanceRecord | undefined>;
  findByIdempotencyKey(workflowId: string, key: string): Promise<InstanceRecord | undefined>;
  history(instanceId: string): Promise<HistoryRecord[]>;
  /** A workflow's concurrency limit (runs in flight at once), or null when it has none. */
  concurrencyLimit(workflowId: string): Promise<number | null>;
  /**
   * Turn `queued` runs of the workflow `pending`, oldest first, while fewer than its limit are in
   * flight (IN_FLIGHT_STATUSES); all of them when it has no limit. Counted and written atomically:
   * on PostgreSQL under a lock on the workflow's row, so admissions racing on many workers take
   * turns. Returns the ids admitted; workers claim them as they claim any unleased pending run.
   */
  admitQueued(workflowId: string, now: number): Promise<string[]>;
  /** Workflows that have queued runs (a worker looks at them when it starts). */
  queuedWorkflows(): Promise<string[]>;
  /**
   * Hear wake-ups from other processes sharing the database (PostgreSQL LISTEN/NOTIFY): work
   * posted for now, or a timer set for `at`. Absent on SQLite, where one process does the work.
   * Resolves once listening; the function it returns stops listening.
   */
  subscribe?(listener: (wake: StoreWake) => void): Promise<() => Promise<void>>;
}

/** Work for a worker: due at `at` (epoch ms; 0 or the past means now). */
export interface StoreWake {
  at: number;
}

/** A run's new status and revision, as a committed checkpoint left it. */
export interface RunChange {
  instanceId: string;
  status: string;
  rev: number;
}

/** What another process committed: runs that moved on, and whether tasks changed. */
export interface StoreChanges {
  runs: RunChange[];
  tasks: boolean;
}

export interface ClaimOptions {
  owner: string;
  now: number;
  leaseExpiresAt: number;
  limit: number;
  /** Instance ids the caller is already handling, to leave out. */
  exclude?: ReadonlySet<string>;
}
