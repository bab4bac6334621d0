// A run's spans, derived from the history each checkpoint appends (issue 18): the run's root span,
// a span per node visit, per attempt (step actions, model calls) and per wait (timers, signals,
// approvals, child runs, retry back-offs). A span is made when it ends, with the start time its
// history recorded; a process that meets a run it has not seen (after a restart, or another
// worker's run) reads the run's history once to learn what is open. The README's table of spans
// documents the names and attributes made here.
import type { Attributes } from '@opentelemetry/api';
import type { GraphIndex } from '../engine/core/graph-index.js';
import type { Token } from '../engine/core/types.js';
import type { CheckpointCommitted, PickedUp } from '../engine/runner/observer.js';
import { spanIdOf, type RunTrace, type SpanKey } from '../engine/runner/trace-context.js';
import type { HistoryRecord } from '../engine/store.js';
import type { Logger } from '../logger.js';
import type { SpanSink } from './tracer.js';

/** Node kinds whose visit is a wait, and the kind of wait (shared/runs/waits.ts's names). */
const WAITING_KINDS: Record<string, string> = { wait: 'timer', event: 'signal', approval: 'approval', subflow: 'child' };

interface OpenSpan {
  key: SpanKey;
  parent: SpanKey;
  name: string;
  start: number;
  attributes: Attributes;
  tokenId?: string;
  plannedUntil?: number;
}

/** What one committed checkpoint says, copied out of the worker's mutable record. */
interface RunStep {
  runId: string;
  trace: RunTrace;
  record: { createdAt: number; workflowSlug: string; version: number; parentId: string | null; status: string; error: { code?: string; message: string } | null };
  tokens: Token[];
  graph: GraphIndex;
  history: HistoryRecord[];
  pickedUp: readonly PickedUp[];
  /** History events the run had before this checkpoint. */
  prior: number;
}

export interface RunSpansDeps {
  sink: SpanSink;
  history(runId: string): Promise<HistoryRecord[]>;
  logger: Logger;
  /** Runs whose open spans are remembered; the least recently moved are forgotten (and re-read). */
  maxRuns?: number;
}

export function createRunSpans(deps: RunSpansDeps) {
  const maxRuns = deps.maxRuns ?? 10_000;
  const runs = new Map<string, Map<string, OpenSpan>>();
  const loading = new Map<string, Promise<void>>();

  function remember(runId: string, open: Map<string, OpenSpan>): void {
    runs.delete(runId);
    runs.set(runId, open);
    if (runs.size > maxRuns) runs.delete(runs.keys().next().value!);
  }

  function apply(step: RunStep, open: Map<string, OpenSpan>, records: HistoryRecord[], emit: boolean): void {
    const { runId, trace } = step;
    const text = (key: SpanKey) => JSON.stringify(key);
    const begin = (span: OpenSpan) => open.set(text(span.key), span);
    // A wait learnt from history (another process began it) does not know its token: its run's
    // timer picked up in this checkpoint is the one that ended it.
    const timerOf = (tokenId?: string, purpose?: string) => step.pickedUp.find((p) => p.kind === 'timer' && (tokenId ? p.tokenId === tokenId : p.purpose === purpose));
    const end = (key: SpanKey, at: number, more: Attributes = {}, error?: string) => {
      const span = open.get(text(key));
      if (!span) return;
      open.delete(text(key));
      if (!emit) return;
      const attributes: Attributes = { ...span.attributes, ...more };
      if (key.of === 'wait') {
        attributes['cairn.wait.actual_ms'] = at - span.start;
        if (span.plannedUntil !== undefined) attributes['cairn.wait.planned_ms'] = span.plannedUntil - span.start;
        const fired = timerOf(span.tokenId, span.attributes['cairn.wait.kind'] === 'timer' ? 'wait' : 'timeout');
        if (fired) attributes['cairn.queue_delay_ms'] = Math.max(0, fired.at - fired.due);
      }
      deps.sink.emit({ trace, spanId: spanIdOf(trace, runId, key), parentSpanId: spanIdOf(trace, runId, span.parent), name: span.name, start: span.start, end: at, attributes, error, kind: key.of === 'attempt' ? 'client' : 'internal' });
    };
    const openAttempt = (nodeId: string, visit: number) => [...open.values()].find((span) => span.key.of === 'attempt' && span.key.nodeId === nodeId && span.key.visit === visit);
    const setAttributes = (key: SpanKey, more: Attributes) => Object.assign(open.get(text(key))?.attributes ?? {}, more);

    for (const record of records) {
      const { nodeId = '', visit = 0, attempt = 0, at } = record;
      const data = (record.data ?? {}) as Record<string, any>;
      const visitKey: SpanKey = { of: 'visit', nodeId, visit };
      const waitKey: SpanKey = { of: 'wait', nodeId, visit };
      const token = step.tokens.find((candidate) => candidate.nodeId === nodeId && candidate.visit === visit);
      switch (record.type) {
        case 'nodeEntered': {
          const kind = step.graph.nodes.get(nodeId)?.kind ?? 'unknown';
          begin({ key: visitKey, parent: { of: 'run' }, name: `${kind} ${nodeId}`, start: at, attributes: { 'cairn.node.id': nodeId, 'cairn.node.kind': kind, 'cairn.node.visit': visit } });
          const waitKind = WAITING_KINDS[kind];
          if (waitKind) begin({ key: waitKey, parent: visitKey, name: `wait ${waitKind}`, start: at, attributes: { 'cairn.wait.kind': waitKind }, tokenId: token?.id, plannedUntil: token?.until ?? (data.until ? Date.parse(data.until) : undefined) });
          break;
        }
        case 'stepAttemptStarted':
        case 'compensationAttemptStarted':
        case 'aiAttemptStarted': {
          const backoff: SpanKey = { of: 'wait', nodeId, visit, attempt: attempt - 1 };
          const fired = timerOf(open.get(text(backoff))?.tokenId);
          end(backoff, at);
          const ai = record.type === 'aiAttemptStarted';
          const attributes: Attributes = ai
            ? { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': data.model, 'cairn.attempt': attempt }
            : { 'cairn.action': data.action, 'cairn.attempt': attempt, 'cairn.compensation': record.type === 'compensationAttemptStarted' };
          if (fired) attributes['cairn.queue_delay_ms'] = Math.max(0, fired.at - fired.due);
          begin({ key: { of: 'attempt', nodeId, visit, attempt }, parent: visitKey, name: ai ? `chat ${data.model}` : `step ${data.action}`, start: at, attributes });
          break;
        }
        case 'stepAttemptFailed':
        case 'compensationAttemptFailed':
        case 'aiAttemptFailed': {
          const error = record.type === 'aiAttemptFailed' ? { code: data.code, message: data.message } : (data.error ?? {});
          end({ of: 'attempt', nodeId, visit, attempt }, at, { 'cairn.attempt.outcome': 'failed', 'error.type': String(error.code ?? 'ERROR'), ...usage(data) }, String(error.message ?? ''));
          if (data.retryAt) {
            begin({ key: { of: 'wait', nodeId, visit, attempt }, parent: visitKey, name: 'wait retry', start: at, attributes: { 'cairn.wait.kind': 'retry' }, tokenId: token?.id, plannedUntil: Date.parse(data.retryAt) });
          }
          break;
        }
        case 'aiAnswered':
          end({ of: 'attempt', nodeId, visit, attempt }, at, { 'cairn.attempt.outcome': 'succeeded', 'gen_ai.response.model': data.modelId, ...usage(data) });
          break;
        case 'childStarted':
          setAttributes(visitKey, { 'cairn.child.run_id': data.childId });
          setAttributes(waitKey, { 'cairn.child.run_id': data.childId });
          break;
        case 'approvalDecided':
          setAttributes(waitKey, { 'cairn.approval.task_id': data.taskId, 'cairn.approval.decision': data.decision, 'cairn.approval.by': data.by });
          break;
        case 'eventTimedOut':
        case 'approvalTimedOut':
          setAttributes(waitKey, { 'cairn.wait.timed_out': true });
          break;
        case 'nodeCompleted':
        case 'compensationCompleted': {
          const running = openAttempt(nodeId, visit);
          if (running) end(running.key, at, { 'cairn.attempt.outcome': 'succeeded' });
          if (record.type === 'compensationCompleted') break;
          end(waitKey, at);
          end(visitKey, at, data.port ? { 'cairn.node.port': data.port } : {});
          break;
        }
        case 'runRetried':
          break;
        case 'runCompleted':
        case 'runFailed':
        case 'runCancelled': {
          // Paths still open when the run ends were stopped with it.
          const stopped = record.type === 'runCompleted' ? undefined : `the run ${record.type === 'runFailed' ? 'failed' : 'was cancelled'}`;
          for (const span of [...open.values()].reverse()) end(span.key, at, {}, stopped);
          if (emit) emitRoot(step, at, record.type === 'runCompleted' ? undefined : (data.error ?? {}));
          break;
        }
      }
    }
  }

  function emitRoot(step: RunStep, at: number, error: { code?: string; message?: string } | undefined): void {
    const { trace, runId, record } = step;
    const attributes: Attributes = { 'cairn.run.id': runId, 'cairn.workflow': record.workflowSlug, 'cairn.workflow.version': record.version, 'cairn.run.status': record.status };
    if (record.parentId) attributes['cairn.run.parent_id'] = record.parentId;
    if (error) attributes['error.type'] = String(error.code ?? 'ERROR');
    deps.sink.emit({ trace, spanId: spanIdOf(trace, runId, { of: 'run' }), parentSpanId: trace.parentSpanId, name: `run ${record.workflowSlug}`, start: record.createdAt, end: at, attributes, error: error ? String(error.message ?? '') : undefined });
  }

  function process(step: RunStep, open: Map<string, OpenSpan>): void {
    apply(step, open, step.history, true);
    if (['completed', 'failed', 'cancelled'].includes(step.record.status)) runs.delete(step.runId);
    else remember(step.runId, open);
  }

  /** A run this process has not followed: read what its history says is open, then go on. */
  async function catchUp(step: RunStep): Promise<void> {
    const open = new Map<string, OpenSpan>();
    try {
      const before = (await deps.history(step.runId)).filter((record) => record.seq <= step.prior);
      apply(step, open, before, false);
    } catch (error) {
      deps.logger.warn('trace: the run\'s history could not be read; spans begun before are left out', { instanceId: step.runId, error: String(error) });
    }
    process(step, open);
  }

  return {
    checkpointCommitted(notice: CheckpointCommitted): void {
      const { record, checkpoint } = notice;
      const trace = record.state.trace;
      if (!trace?.sampled || checkpoint.history.length === 0) return;
      const step: RunStep = {
        runId: record.id,
        trace,
        record: { createdAt: record.createdAt, workflowSlug: record.workflowSlug, version: record.version, parentId: record.parentId, status: record.status, error: record.error },
        tokens: record.state.tokens,
        graph: notice.graph,
        history: checkpoint.history,
        pickedUp: notice.pickedUp,
        prior: record.historyCount - checkpoint.history.length,
      };
      const pending = loading.get(step.runId);
      const known = runs.get(step.runId);
      if (!pending && (known || step.prior === 0)) return process(step, known ?? new Map());
      const next = (pending ?? Promise.resolve()).then(() => {
        const now = runs.get(step.runId);
        return now || step.prior === 0 ? process(step, now ?? new Map()) : catchUp(step);
      });
      loading.set(step.runId, next);
      void next.finally(() => {
        if (loading.get(step.runId) === next) loading.delete(step.runId);
      });
    },
    /** Resolves once runs being caught up have been handled (tests, shutdown). */
    settled: () => Promise.all([...loading.values()]).then(() => undefined),
  };
}

function usage(data: Record<string, any>): Attributes {
  const attributes: Attributes = {};
  if (data.modelId) attributes['gen_ai.response.model'] = data.modelId;
  if (typeof data.usage?.inputTokens === 'number') attributes['gen_ai.usage.input_tokens'] = data.usage.inputTokens;
  if (typeof data.usage?.outputTokens === 'number') attributes['gen_ai.usage.output_tokens'] = data.usage.outputTokens;
  return attributes;
}
