// A run's W3C trace context (issue 18), kept in its state from its first checkpoint so that every
// process that later moves the run continues the same trace. Span ids are derived from what they
// stand for (the run, a node visit, an attempt), so a span started in one process can be ended, or
// parented, in another without storing ids. Telemetry (server/telemetry/) reads these; the engine
// knows no tracing library.
import { createHash } from 'node:crypto';
import { fillRandom } from '../random-pool.js';

export interface RunTrace {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** The span the run's root span is a child of: a caller's (traceparent), or a parent run's subflow visit. */
  parentSpanId?: string;
  /** The caller's sampled flag; runs without a caller are sampled. */
  sampled: boolean;
}

/** W3C trace-context level 1: version 00 exactly; later versions may carry more, after a dash. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
/** A traceparent is 55 characters; anything far longer is not one (the API refuses it first). */
export const MAX_TRACEPARENT_LENGTH = 512;

/** The parent a `traceparent` header names, or undefined when it is malformed (ignored, per the spec). */
export function parseTraceparent(header: string | undefined): RunTrace | undefined {
  if (typeof header !== 'string' || header.length > MAX_TRACEPARENT_LENGTH) return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, parentSpanId: spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** A new run's trace: the caller's, continued, or a new one. */
export function newRunTrace(traceparent?: string): RunTrace {
  return parseTraceparent(traceparent) ?? { traceId: Buffer.from(fillRandom(new Uint8Array(16))).toString('hex'), sampled: true };
}

/** What a span stands for within its run: the run itself, a node visit, an attempt or a wait. */
export type SpanKey = { of: 'run' } | { of: 'visit'; nodeId: string; visit: number } | { of: 'attempt'; nodeId: string; visit: number; attempt: number } | { of: 'wait'; nodeId: string; visit: number; attempt?: number };

export function spanKeyText(key: SpanKey): string {
  switch (key.of) {
    case 'run':
      return 'run';
    case 'visit':
      return `visit/${key.nodeId}/${key.visit}`;
    case 'attempt':
      return `attempt/${key.nodeId}/${key.visit}/${key.attempt}`;
    case 'wait':
      return `wait/${key.nodeId}/${key.visit}/${key.attempt ?? 0}`;
  }
}

/** The span id of `key` in run `runId`: 16 hex digits, the same in every process. */
export function spanIdOf(trace: RunTrace, runId: string, key: SpanKey): string {
  const id = createHash('sha256').update(`${trace.traceId}/${runId}/${spanKeyText(key)}`).digest('hex').slice(0, 16);
  // An all-zero id is invalid; a hash gives one once in 2^64 runs, but the rule costs nothing.
  return id === '0000000000000000' ? '0000000000000001' : id;
}

export function formatTraceparent(trace: RunTrace, spanId: string): string {
  return `00-${trace.traceId}-${spanId}-${trace.sampled ? '01' : '00'}`;
}

/** The trace of a child run started by the subflow node visit `visit` of `parentId`. */
export function childRunTrace(parent: RunTrace, parentId: string, visit: { nodeId: string; visit: number }): RunTrace {
  return { traceId: parent.traceId, parentSpanId: spanIdOf(parent, parentId, { of: 'visit', ...visit }), sampled: parent.sampled };
}

/**
 * The trace fields a log line of an attempt carries, from its traceparent. Passed to the attempt
 * explicitly, not through AsyncLocalStorage: on Node 20 one ALS.run() turns on promise hooks for
 * every promise of the process, which cost the engine about a tenth of its steps/s (issue 21).
 */
export function traceFields(traceparent: string | undefined): { traceId: string; spanId: string } | undefined {
  return traceparent ? { traceId: traceparent.slice(3, 35), spanId: traceparent.slice(36, 52) } : undefined;
}

/** The attempt's traceparent, made on first use: a hash most attempts never need (they send no request and write no line). */
export function lazyTraceparent(make: () => string | undefined): () => string | undefined {
  let traceparent: string | undefined | null = null;
  return () => (traceparent === null ? (traceparent = make()) : traceparent);
}
