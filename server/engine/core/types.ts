// The engine core's vocabulary: run state, the events it consumes, the history it appends and the
// effects it asks the runner to perform. Unions are derived from type maps so a missing handler
// is a type error.
import type { Limits } from '../../../shared/limits.js';
import type { GraphIndex } from './graph-index.js';

export type InstanceStatus = 'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
export const FINISHED_STATUSES: readonly InstanceStatus[] = ['completed', 'failed', 'cancelled'];

/** How errors are persisted (STYLE: name, code, message, retryable). */
export interface ErrorInfo {
  name: string;
  code: string;
  message: string;
  retryable: boolean;
  nodeId?: string;
  /** Milliseconds the source asked us to wait before retrying (HTTP Retry-After, 429). */
  retryAfterMs?: number;
}

export interface RunError extends ErrorInfo {
  /** Set when the run failed and completed steps had compensations: true if all of them succeeded. */
  compensated?: boolean;
  compensationsFailed?: { nodeId: string; visit: number; error: ErrorInfo }[];
}

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
  /** This token runs a compensation of a completed step, not the step itself. */
  compensating?: boolean;
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
  compensation?: { cause: RunError; remaining: CompensableStep[]; failed: NonNullable<RunError['compensationsFailed']> };
}

export interface RunEventMap {
  /** The instance was just created; its token enters the start node. */
  start: Record<never, never>;
  actionSucceeded: { tokenId: string; attempt: number; output: unknown };
  actionFailed: { tokenId: string; attempt: number; error: ErrorInfo };
  timerFired: { tokenId: string; purpose: TimerPurpose };
  /** The run's lease expired while attempts were in flight: each counts as a failed attempt. */
  recover: Record<never, never>;
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
  };
  setTimer: { timerId: string; tokenId: string; purpose: TimerPurpose; dueAt: number };
  cancelTimer: { timerId: string };
}
export type EffectType = keyof EffectMap;
export type Effect = { [K in EffectType]: { type: K } & EffectMap[K] }[EffectType];

export interface HistoryEntry {
  type: string;
  nodeId?: string;
  visit?: number;
  attempt?: number;
  data?: unknown;
}

export interface WaitingOn {
  nodeId: string;
  kind: 'timer' | 'retry';
  until?: string;
}

export interface InstanceInfo {
  id: string;
  workflow: string;
  version: number;
  startedAt: number;
  input: unknown;
}

/** Everything a transition may read besides the state: no clock, no I/O, no randomness. */
export interface RunContext {
  instance: InstanceInfo;
  graph: GraphIndex;
  now: number;
  limits: Limits;
  historyCount: number;
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
