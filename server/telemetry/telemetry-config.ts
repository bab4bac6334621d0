// Telemetry's configuration as the composition root passes it (from OTEL_* and CAIRN_METRICS_*),
// and the metrics serving a process with a database for the API sets up: the database gauges and,
// with CAIRN_METRICS_PORT, a port of its own.
import type { Clock } from '../engine/clock.js';
import type { PrismaClient } from '../db/prisma-client.js';
import { createOperationsRepo } from '../db/operations.repo.js';
import { cachedSnapshots, registerDatabaseGauges } from './gauges.js';
import { startMetricsServer } from './metrics-endpoint.js';
import { createOperationsFeed, type OperationsFeed } from './operations-feed.js';
import type { Telemetry } from './telemetry.js';
import type { TracingOptions } from './tracer.js';

export interface TelemetryConfig {
  /** Spans go to OTLP/HTTP when an endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT / _TRACES_ENDPOINT). */
  tracing?: TracingOptions;
  /** CAIRN_METRICS_TOKEN: /metrics on the API's port answers only to this bearer token. */
  metricsToken?: string;
  /** CAIRN_METRICS_PORT: /metrics on a port of its own (0: any free port, for tests). */
  metricsPort?: number;
}

export interface MetricsServing {
  /** For the API's HTTP app: where its /metrics reads from, and the token it asks for. */
  route: { registry: Telemetry['metrics']['registry']; token?: string };
  /** The metrics port's URL, when CAIRN_METRICS_PORT is set. */
  url?: string;
  /** The Operations page's samples (a process with the API's database client only). */
  feed?: OperationsFeed;
  close(): Promise<void>;
}

export async function serveMetrics(telemetry: Telemetry, options: TelemetryConfig & { host: string; clock: Clock; prisma?: PrismaClient }): Promise<MetricsServing> {
  const { registry } = telemetry.metrics;
  const snapshot = options.prisma && cachedSnapshots(createOperationsRepo(options.prisma), () => options.clock.now(), () => telemetry.metrics.checkpoints);
  if (snapshot) registerDatabaseGauges(registry, snapshot);
  const port = options.metricsPort === undefined ? undefined : await startMetricsServer({ registry, host: options.host, port: options.metricsPort, token: options.metricsToken });
  return {
    route: { registry, token: options.metricsToken },
    url: port?.url,
    feed: snapshot && createOperationsFeed({ metrics: telemetry.metrics, snapshot, clock: options.clock }),
    close: async () => port?.close(),
  };
}

/** The configuration's OTEL_* and CAIRN_METRICS_* variables, as the composition root takes them. */
export function telemetryFromConfig(config: {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_HEADERS?: Record<string, string>;
  OTEL_SERVICE_NAME: string;
  OTEL_TRACES_EXPORTER: 'otlp' | 'none';
  CAIRN_METRICS_TOKEN?: string;
  CAIRN_METRICS_PORT?: number;
}): TelemetryConfig {
  const exporting = config.OTEL_TRACES_EXPORTER !== 'none' && (config.OTEL_EXPORTER_OTLP_ENDPOINT || config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  return {
    tracing: exporting
      ? { endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, tracesEndpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, serviceName: config.OTEL_SERVICE_NAME, headers: config.OTEL_EXPORTER_OTLP_HEADERS }
      : undefined,
    metricsToken: config.CAIRN_METRICS_TOKEN,
    metricsPort: config.CAIRN_METRICS_PORT,
  };
}
