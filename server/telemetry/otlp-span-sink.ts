// The OpenTelemetry SDK, set up to export spans whose ids Cairn chooses: a run's spans begin and end
// in whichever process moves the run at the time, so each span is made when it ends, with its
// stored start time, its derived id (engine/runner/trace-context.ts) and its parent's id. OTLP over
// HTTP (JSON). Loaded by tracer.ts only when an endpoint is configured.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Link } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import type { SpanSink, TracingOptions } from './span-types.js';

/** The ids of the span being made next: the tracer asks for them synchronously inside startSpan. */
class ChosenIds implements IdGenerator {
  traceId = '';
  spanId = '';
  generateTraceId = () => this.traceId;
  generateSpanId = () => this.spanId;
}

/** A span sink exporting to `url` (tracer.ts's tracesUrl of the configuration). */
export function createOtlpSpanSink(url: string, options: TracingOptions): SpanSink {
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
