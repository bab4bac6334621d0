// The OpenTelemetry SDK, set up to export spans whose ids Cairn chooses: a run's spans begin and end
// in whichever process moves the run at the time, so each span is made when it ends, with its
// stored start time, its derived id (engine/runner/trace-context.ts) and its parent's id. OTLP over
// HTTP (JSON) to OTEL_EXPORTER_OTLP_ENDPOINT; nothing is set up when no endpoint is configured.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type Link } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';
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

/** The ids of the span being made next: the tracer asks for them synchronously inside startSpan. */
class ChosenIds implements IdGenerator {
  traceId = '';
  spanId = '';
  generateTraceId = () => this.traceId;
  generateSpanId = () => this.spanId;
}

export function tracesUrl(options: TracingOptions): string | undefined {
  if (options.tracesEndpoint) return options.tracesEndpoint;
  if (!options.endpoint) return undefined;
  return `${options.endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/** A span sink exporting to the configured endpoint, or undefined when none is configured. */
export function createSpanSink(options: TracingOptions): SpanSink | undefined {
  const url = tracesUrl(options);
  if (!url) return undefined;
  const ids = new ChosenIds();
  const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': options.serviceName || 'cairn' }));
  const exporter = new OTLPTraceExporter({ url, headers: options.headers });
  const provider = new BasicTracerProvider({ resource, idGenerator: ids, spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000, maxQueueSize: 20_000, maxExportBatchSize: 1_000 })] });
  const tracer = provider.getTracer('cairn');
  const flags = (sampled: boolean) => (sampled ? TraceFlags.SAMPLED : TraceFlags.NONE);
  return {
    emit(span) {
      const parent = span.parentSpanId
        ? trace.setSpanContext(ROOT_CONTEXT, { traceId: span.trace.traceId, spanId: span.parentSpanId, traceFlags: flags(span.trace.sampled), isRemote: true })
        : ROOT_CONTEXT;
      const links: Link[] | undefined = span.links?.map((link) => ({ context: { traceId: link.trace.traceId, spanId: link.spanId, traceFlags: flags(link.trace.sampled) } }));
      ids.traceId = span.trace.traceId;
      ids.spanId = span.spanId;
      const started = tracer.startSpan(span.name, { startTime: new Date(span.start), attributes: span.attributes, kind: span.kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL, links }, parent);
      if (span.error !== undefined) started.setStatus({ code: SpanStatusCode.ERROR, message: span.error });
      started.end(new Date(Math.max(span.end, span.start)));
    },
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
