// The engine core's vocabulary: run state, the events it consumes, the history it appends and the
// effects it asks the runner to perform. Unions are derived from type maps so a missing handler
// is a type error.
import type { Limits } from '../../../shared/limits.js';
import type { ApprovalPolicy } from '../../../shared/runs/approval-policy.js';
import type { ErrorInfo, RunError } from '../../../shared/runs/errors.js';
import type { HistoryEntry } from '../../../shared/runs/history.js';
import type { RunStatus } from '../../../shared/runs/status.js';
import type { WaitingOn } from '../../../shared/runs/waits.js';
import type { GraphIndex } from './graph-index.js';

// The run vocabulary the API and the screens share lives in shared/runs/.
export { FINISHED_STATUSES } from '../../../shared/runs/status.js';
export type { RunStatus as InstanceStatus } from '../../../shared/runs/status.js';
export type { ErrorInfo, RunError } from '../../../shared/runs/errors.js';
export type { HistoryEntry } from '../../../shared/runs/history.js';
export type { WaitingOn } from '../../../shared/runs/waits.js';
type InstanceStatus = RunStatus;

export type TokenStatus = 'entering' | 'running' | 'backoff' | 'waiting';

/** A position in the graph. A run holds one token per concurrent path. */
export interface Token {
  id: string;
  nodeId: string;
  visit: number;
  status: TokenStatus;
  /** The edge the token arrived on (joins count arrivals per incoming edge). */
  via?: string;
  /** Step and compensation attempts, from 1. */
  attempt?: number;
  /** Values resolved when the node was entered, checkpointed so retries see the same ones. */
  resolved?: Record<string, unknown>;
  /** When a timer will wake this token (epoch ms). */
  until?: number;
  /** The purpose of the timer this token has set, so stopping the token can cancel it. */
  timer?: TimerPurpose;
  /** This token runs a compensation of a completed step, not the step itself. */
  compensating?: boolean;
}

/** A signal that arrived before any `event` node waited for it (DESIGN §3: signals are buffered). */
export interface BufferedSignal {
  id: string;
  name: string;
  data: unknown;
  at: number;
}

export interface CompensableStep {
  nodeId: string;
  visit: number;
  action: string;
  input: unknown;
}

export interface RunState {
  tokens: Token[];
  nextTokenNumber: number;
  visits: Record<string, number>;
  /** Each node's last output: what expressions see as `nodes.<id>`. */
  outputs: Record<string, unknown>;
  /** Join node id → ids of incoming edges that have an arrival not yet consumed. */
  joins: Record<string, string[]>;
  /** Completed steps that declare a compensation, in order of completion. */
  compensable: CompensableStep[];
  /** The output of the last `end` reached; becomes the run's output when it completes. */
  output?: unknown;
  /** Signals not consumed yet, in arrival order. */
  signals?: BufferedSignal[];
  /** Set while compensating because of a cancel request: the run then ends `cancelled`. */
  cancelling?: boolean;
  compensation?: { cause: RunError; remaining: CompensableStep[]; failed: NonNullable<RunError['compensationsFailed']> };
  /** Times in a row this run's processing was interrupted (its process died or stalled); see `recover`. */
  interruptions?: number;
  /** A rerun of another run from one of its nodes (core/rerun.ts); set in its first state. */
  rerun?: RerunSeed;
  /** Who started the run (a signed-in user or a token's user), set in its first state: self-approval is refused to them. */
  startedBy?: string;
  /** The run's W3C trace context (runner/trace-context.ts), set in its first state; transitions carry it unchanged. */
  trace?: { traceId: string; parentSpanId?: string; sampled: boolean };
}

export interface RunEventMap {
  /** The instance was just created; its token enters the start node. */
  start: Record<never, never>;
  actionSucceeded: { tokenId: string; attempt: number; output: unknown; logs?: ActionLogLine[] };
  actionFailed: { tokenId: string; attempt: number; error: ErrorInfo; logs?: ActionLogLine[] };
  timerFired: { tokenId: string; purpose: TimerPurpose };
  /**
   * The run was claimed from a lease nobody gave back (its processing was interrupted): attempts in
   * flight count as failed attempts, and the interruption is counted toward quarantine.
   */
  recover: Record<never, never>;
  signalReceived: { signalId: string; name: string; data: unknown; at: number };
  approvalDecided: Decision;
  cancelRequested: { compensate: boolean; by?: string; reason?: string };
  /** A failed run was reopened: a new path starts at the node it failed at. */
  retryRequested: { nodeId: string; by?: string };
  /** The child run for a subflow token exists (or already existed: starting is idempotent). */
  childStarted: { tokenId: string; childId: string };
  childStartFailed: { tokenId: string; error: ErrorInfo };
  /** A child run ended; `key` is the child's idempotency key, naming the parent's node visit. */
  childFinished: { key: string; childId: string; status: InstanceStatus; output: unknown; error: RunError | null };
}

/** A line an action wrote with ctx.log (a code step's console), kept in the run's history. */
export interface ActionLogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export interface Decision {
  taskId: string;
  decision: 'approved' | 'rejected';
  by: string;
  at: number;
  comment?: string;
  form?: unknown;
  shownHash: string;
  /** The person `by` decided for, when they acted as that person's delegate. */
  onBehalfOf?: string;
}
export type RunEventType = keyof RunEventMap;
export type RunEvent = { [K in RunEventType]: { type: K } & RunEventMap[K] }[RunEventType];

export type TimerPurpose = 'wait' | 'retry' | 'timeout';

export interface EffectMap {
  runAction: {
    tokenId: string;
    nodeId: string;
    visit: number;
    attempt: number;
    action: string;
    input: unknown;
    idempotencyKey: string;
    timeoutMs: number;
    /** Which stored credential fills each one the action declares (the step's `credentials`): names only. */
    credentials?: Record<string, string>;
  };
  callModel: {
    tokenId: string;
    nodeId: string;
    visit: number;
    attempt: number;
    model: string;
    system?: string;
    prompt: string;
    /** A repair turn: the previous answer and why it could not be used. */
    repair?: { answer: string; errors: string[] };
    outputSchema: Record<string, unknown>;
    timeoutMs: number;
  };
  setTimer: { timerId: string; tokenId: string; purpose: TimerPurpose; dueAt: number };
  cancelTimer: { timerId: string };
  createTask: { task: NewTask };
  /** `approved`/`rejected`: the node's automatic decision at its deadline. */
  closeTask: { taskId: string; status: TaskClosing };
  /** A reminder or an escalation of an open task (its row and the audit log change with the checkpoint). */
  updateTask: { taskId: string; change: TaskChange };
  startChild: { tokenId: string; workflow: string; input: unknown; idempotencyKey: string };
  /** Ask every unfinished child run of this run to cancel. */
  cancelChildren: { compensate: boolean };
}

export type TaskClosing = 'timed_out' | 'cancelled' | 'approved' | 'rejected';

export type TaskChange =
  | { kind: 'reminded'; reminder: number; to: { users: string[]; roles: string[] } }
  | { kind: 'escalated'; mode: 'add' | 'reassign'; to: { users: string[]; roles: string[] } };

export interface NewTask {
  id: string;
  nodeId: string;
  visit: number;
  tokenId: string;
  title: string;
  details?: string;
  data?: unknown;
  form?: Record<string, unknown>;
  assignees: { users: string[]; roles: string[] };
  shownHash: string;
  dueAt?: number;
  /** Quorum and self-approval (shared/runs/approval-policy.ts); a single decision when absent. */
  policy?: ApprovalPolicy;
}
export type EffectType = keyof EffectMap;
export type Effect = { [K in EffectType]: { type: K } & EffectMap[K] }[EffectType];

export interface InstanceInfo {
  id: string;
  workflow: string;
  version: number;
  startedAt: number;
  input: unknown;
  parentId?: string | null;
}

/** What a callback URL is bound to: a run, an `event` node and that node's visit (its wait), until `expiresAt`. */
export interface CallbackRef {
  runId: string;
  nodeId: string;
  visit: number;
  expiresAt: number;
}

/** A rerun from a step (core/rerun.ts): what its first state carries besides the reused outputs. */
export interface RerunSeed {
  /** The run this one reruns. */
  of: string;
  /** The node it continues from. */
  fromNode: string;
  /** The nodes whose recorded outputs it reuses, in the order the earlier run completed them. */
  reused: string[];
  /** Present when X's input was changed: used instead of resolving X's `input` on its first visit. */
  input?: { value: unknown };
}

/** Everything a transition may read besides the state: no clock, no I/O, no randomness. */
export interface RunContext {
  instance: InstanceInfo;
  graph: GraphIndex;
  now: number;
  limits: Limits;
  historyCount: number;
  /** Signs a callback reference into its URL (server/callbacks/); absent, expressions see no `callbacks`. */
  callbackUrl?: (ref: CallbackRef) => string;
}

export interface Transition {
  state: RunState;
  status: InstanceStatus;
  output?: unknown;
  error?: RunError;
  history: HistoryEntry[];
  effects: Effect[];
  waitingOn: WaitingOn[];
}
