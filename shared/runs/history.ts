// A run's history: the type map of every event the engine records (type → data), the union derived
// from it, and the event as the API serves it. The engine's `record` takes a HistoryEntry, so an event
// whose data does not match its type is a type error where it is written, and screens narrow on
// `type` instead of guessing at data.
import type { ErrorInfo, RunError } from './errors.js';
import type { RunStatus } from './status.js';

/** What an approver decided, as history keeps it (with a hash of what they were shown). */
export interface ApprovalAudit {
  taskId: string;
  decision: 'approved' | 'rejected';
  by: string;
  at: string;
  comment?: string;
  form?: unknown;
  shownHash: string;
  /** Set when `by` decided as the delegate of this person: "by on behalf of onBehalfOf". */
  onBehalfOf?: string;
  /** With a quorum above one: the decisions counted so far, this one included. */
  tally?: { approvals: number; rejections: number; required: number };
}

/** Token counts of one model call, as the provider reported them. */
export interface AiUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
}

/** Events that carry no data map to `undefined`; data that may be left out includes `undefined`. */
export interface HistoryEventMap {
  /** `rerunOf`: this run reruns another from `fromNode`, reusing the outputs it recorded for `reused`. */
  runStarted: { workflow: string; version: number; input: unknown; rerunOf?: { runId: string; fromNode: string; reused: string[]; inputChanged: boolean } };
  /** Recorded on a finished run when a rerun of it starts (the rerun's runStarted names this run back). */
  rerunStarted: { runId: string; fromNode: string; by?: string };
  /** The values resolved on entry, per kind (a step's action and input, a wait's until…); none for some kinds. */
  nodeEntered: Record<string, unknown> | undefined;
  /** `port` is absent when the node leaves by every edge (parallel) or by none (end). */
  nodeCompleted: { port?: string; output: unknown };
  /** An arrival at a join that still waits for `waitingFor` (incoming edge ids). */
  joinArrived: { edgeId?: string; waitingFor: string[] };
  stepAttemptStarted: { action: string; idempotencyKey: string };
  /** `retryAt` is set when another attempt is scheduled. */
  stepAttemptFailed: { error: ErrorInfo; retryAt?: string };
  stepFailed: { error: ErrorInfo };
  /** What an attempt's action wrote with ctx.log (a code step's console), credentials redacted. */
  actionLogged: { lines: { level: 'debug' | 'info' | 'warn' | 'error'; message: string }[] };
  compensationStarted: { error: RunError; steps: string[] };
  compensationAttemptStarted: { action: string; idempotencyKey: string };
  compensationAttemptFailed: { error: ErrorInfo; retryAt?: string };
  compensationCompleted: { output: unknown };
  compensationFailed: { error: ErrorInfo };
  /**
   * `buffered`: no event node waited for it yet; the run keeps it. `callback`: it came through the
   * node's callback URL. `ignored`: a callback for a wait that was already over (kept in history only).
   */
  signalReceived: { signalId: string; name: string; data: unknown; buffered?: true; callback?: true; ignored?: string };
  /** A buffered signal taken by the event node that reached it. */
  signalConsumed: { signalId: string; name: string; buffered: true; callback?: true };
  eventTimedOut: { event: unknown };
  approvalDecided: ApprovalAudit;
  approvalDecisionIgnored: ApprovalAudit & { reason: string };
  approvalTimedOut: { taskId: string };
  /** One person's decision, counted toward the quorum, which it did not settle. */
  approvalDecisionRecorded: ApprovalAudit;
  /** `to`: the named users who had not decided yet, and the roles. */
  approvalReminded: { taskId: string; reminder: number; to: { users: string[]; roles: string[] } };
  approvalEscalated: { taskId: string; mode: 'add' | 'reassign'; to: { users: string[]; roles: string[] }; assignees: { users: string[]; roles: string[] } };
  /** The deadline decided for everyone (`decideAfter`); `decisions`: those counted before it. */
  approvalAutoDecided: { taskId: string; decision: 'approved' | 'rejected'; at: string; decisions: { by: string; decision: string; onBehalfOf?: string }[] };
  /** `model`: the configured name asked; `promptHash`: sha256 of what was sent; `repair`: the errors sent back. */
  aiAttemptStarted: { model: string; system?: string; prompt: string; promptHash?: string; repair?: { errors: string[] } };
  /**
   * One failed attempt. `raw` is bounded (`rawBytes` is the full size when it was cut); `next` says
   * what follows: a repair turn, the next model of the chain, a retry (at `retryAt`), a person, or the
   * `fallback` port. Token counts, latency and cost are there when the provider answered.
   */
  aiAttemptFailed: {
    code: string;
    message: string;
    model?: string;
    modelId?: string;
    raw?: string | null;
    rawBytes?: number;
    usage?: AiUsage;
    costUsd?: number;
    latencyMs?: number;
    violations?: string[];
    willRetry: boolean;
    next?: 'repair' | 'nextModel' | 'retry' | 'human' | 'fallback';
    retryAt?: string;
  };
  /** `normalised`: what was taken off the answer before it matched (a code fence, prose, an envelope). */
  aiAnswered: { raw: string; rawBytes?: number; modelId: string; model?: string; usage?: AiUsage; costUsd?: number; latencyMs?: number; normalised?: string[] };
  /** The model gave no usable answer: a person fills it in (an inbox task whose form is the output schema). */
  aiHandedToHuman: { taskId: string; assignees: { users: string[]; roles: string[] }; code: string; errors: string[] };
  childStarted: { childId: string };
  childStartFailed: { error: ErrorInfo };
  childFinished: { childId: string; status: RunStatus; output: unknown; error: RunError | null };
  cancelRequested: { by?: string; reason?: string; compensate: boolean };
  cancelIgnored: { by?: string; reason: string };
  /** A failed run reopened at the node it failed at. */
  runRetried: { by?: string };
  /** An operator paused the run (runner/pause.ts): nothing moves until it is resumed. */
  runPaused: { by?: string; reason?: string };
  runResumed: { by?: string };
  runCompleted: { output: unknown };
  runFailed: { error: RunError };
  runCancelled: { error: RunError };
}

export type HistoryEventType = keyof HistoryEventMap;

type DataOf<K extends HistoryEventType> = undefined extends HistoryEventMap[K] ? { data?: Exclude<HistoryEventMap[K], undefined> } : { data: HistoryEventMap[K] };

/** One event as the engine records it; the run and its sequence number are added when it is stored. */
export type HistoryEntry = {
  [K in HistoryEventType]: { type: K; nodeId?: string; visit?: number; attempt?: number } & DataOf<K>;
}[HistoryEventType];

export type HistoryEntryOf<K extends HistoryEventType> = Extract<HistoryEntry, { type: K }>;

/** An event as the API serves it: numbered from 1 in the order it was recorded, `at` in ISO 8601. */
export type HistoryEvent = HistoryEntry & { seq: number; at: string };

/** Every event type, for tables keyed by type (a `Record<HistoryEventType, …>` names them all). */
export const HISTORY_EVENT_TYPES = Object.keys({
  runStarted: 1, nodeEntered: 1, nodeCompleted: 1, joinArrived: 1, stepAttemptStarted: 1, stepAttemptFailed: 1, stepFailed: 1, actionLogged: 1,
  compensationStarted: 1, compensationAttemptStarted: 1, compensationAttemptFailed: 1, compensationCompleted: 1, compensationFailed: 1,
  signalReceived: 1, signalConsumed: 1, eventTimedOut: 1, approvalDecided: 1, approvalDecisionIgnored: 1, approvalTimedOut: 1,
  approvalDecisionRecorded: 1, approvalReminded: 1, approvalEscalated: 1, approvalAutoDecided: 1,
  aiAttemptStarted: 1, aiAttemptFailed: 1, aiAnswered: 1, aiHandedToHuman: 1, childStarted: 1, childStartFailed: 1, childFinished: 1,
  cancelRequested: 1, cancelIgnored: 1, runRetried: 1, runPaused: 1, runResumed: 1, rerunStarted: 1, runCompleted: 1, runFailed: 1, runCancelled: 1,
} satisfies Record<HistoryEventType, 1>) as HistoryEventType[];

