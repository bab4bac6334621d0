// What a span sink takes (a run's span, made when it ends, with the ids Cairn chose) and how tracing is
// configured: said apart from the OpenTelemetry exporter (otlp-span-sink.ts) so that run-spans.ts and
// tracer.ts name them without loading the SDK.
import type { Attributes } from '@opentelemetry/api';
import type { RunTrace } from '../engine/runner/trace-context.js';

export interface TracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT (…/v1/traces is appended) or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is). */
  endpoint?: string;
  tracesEndpoint?: string;
  /** OTEL_SERVICE_NAME (default "cairn"). */
  serviceName?: string;
  /** OTEL_EXPORTER_OTLP_HEADERS, already parsed. */
  headers?: Record<string, string>;
}

export interface FinishedSpan {
  trace: RunTrace;
  spanId: string;
  /** Absent for a run's root span without a caller. */
  parentSpanId?: string;
  name: string;
  kind?: 'internal' | 'client';
  start: number;
  end: number;
  attributes: Attributes;
  error?: string;
  links?: { trace: RunTrace; spanId: string }[];
}

export interface SpanSink {
  emit(span: FinishedSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}
