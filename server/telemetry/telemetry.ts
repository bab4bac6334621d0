// Telemetry for one process (issue 18): the observer the worker reports to, feeding Prometheus
// metrics always and OpenTelemetry spans when an OTLP endpoint is configured. The composition root
// (server/main.ts, cli/start-worker.ts) makes one and hands its observer to the worker; the engine
// never imports OpenTelemetry.
import type { RunObserver } from '../engine/runner/observer.js';
import { formatTraceparent, spanIdOf } from '../engine/runner/trace-context.js';
import type { EngineStore } from '../engine/store.js';
import type { Logger } from '../logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createRunSpans } from './run-spans.js';
import { createSpanSink, type SpanSink, type TracingOptions } from './tracer.js';

export interface TelemetryOptions {
  tracing?: TracingOptions;
  logger: Logger;
  /** A span sink to use instead of the OTLP exporter (bench: measuring the derivation alone). */
  sink?: SpanSink;
}

export interface Telemetry {
  /** The observer for a worker on `store` (whose history a run's spans are caught up from). */
  observe(store: Pick<EngineStore, 'history'>): RunObserver;
  metrics: Metrics;
  /** Whether spans are exported. */
  tracing: boolean;
  /** Export what is finished (tests; before a process exits). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createTelemetry(options: TelemetryOptions): Telemetry {
  const metrics = createMetrics();
  const sink = options.sink ?? (options.tracing ? createSpanSink(options.tracing) : undefined);
  let store: Pick<EngineStore, 'history'> | undefined;
  const spans = sink && createRunSpans({ sink, history: (runId) => (store ? store.history(runId) : Promise.resolve([])), logger: options.logger });
  const observer: RunObserver = {
    checkpointCommitted(notice) {
      metrics.checkpointCommitted(notice);
      spans?.checkpointCommitted(notice);
    },
    batchCommitted: (size, latencyMs) => metrics.batchCommitted(size, latencyMs),
    attemptFinished: (notice) => metrics.attemptFinished(notice),
    // Always, exported or not: outgoing requests and log lines carry the attempt's trace.
    traceparentFor(record, effect) {
      const trace = record.state.trace;
      return trace && formatTraceparent(trace, spanIdOf(trace, record.id, { of: 'attempt', nodeId: effect.nodeId, visit: effect.visit, attempt: effect.attempt }));
    },
  };
  return {
    observe(on) {
      store = on;
      return observer;
    },
    metrics,
    tracing: sink !== undefined,
    async flush() {
      await spans?.settled();
      await sink?.forceFlush();
    },
    async close() {
      await spans?.settled();
      await sink?.shutdown();
    },
  };
}
