// Where a run's spans go: OTLP over HTTP (JSON) to OTEL_EXPORTER_OTLP_ENDPOINT, or nowhere when no
// endpoint is configured. The OpenTelemetry SDK (otlp-span-sink.ts) is loaded only when one is: a
// process that does not trace does not carry it.
import type { FinishedSpan, SpanSink, TracingOptions } from './span-types.js';

export type { FinishedSpan, SpanSink, TracingOptions } from './span-types.js';

export function tracesUrl(options: TracingOptions): string | undefined {
  if (options.tracesEndpoint) return options.tracesEndpoint;
  if (!options.endpoint) return undefined;
  return `${options.endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * A span sink exporting to the configured endpoint, or undefined when none is configured. The SDK
 * starts loading at once; spans ended meanwhile wait, in order, and flush and shutdown wait for it.
 * A failure to load it is left unhandled, as loud as a failure at start-up was.
 */
export function createSpanSink(options: TracingOptions): SpanSink | undefined {
  const url = tracesUrl(options);
  if (!url) return undefined;
  let sink: SpanSink | undefined;
  let waiting: FinishedSpan[] = [];
  const loaded = import('./otlp-span-sink.js').then(({ createOtlpSpanSink }) => {
    sink = createOtlpSpanSink(url, options);
    for (const span of waiting) sink.emit(span);
    waiting = [];
    return sink;
  });
  return {
    emit(span) {
      if (sink) sink.emit(span);
      else waiting.push(span);
    },
    forceFlush: async () => (await loaded).forceFlush(),
    shutdown: async () => (await loaded).shutdown(),
  };
}
