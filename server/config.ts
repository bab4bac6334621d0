// Configuration from the environment (DESIGN §4). A bad value stops start-up with a message that
// names the variable.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { z } from 'zod';
import { parseAllowList } from './actions/egress.js';
import { modelConfigFromEnv, type ModelConfig } from './ai/model-client.js';

const WORKER_ID = /^[\w.:-]{1,100}$/;

/**
 * `<host>-<pid>-<random>`: unique per process, so two processes on one host never share one (the
 * host name alone did, and they took each other's runs). The random part tells apart processes of
 * two hosts, or containers, that happen to share a name and a process id.
 */
export function defaultWorkerId(): string {
  const host = hostname().replace(/[^\w.-]+/g, '-').slice(0, 60) || 'host';
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** A CAIRN_TRUST_PROXY entry: an IP, a CIDR, or one of proxy-addr's names (what Fastify's trustProxy takes). */
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

const configSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  DATABASE_URL: z
    .string()
    .default('file:./data/cairn.db')
    .refine((url) => url.startsWith('file:') || url.startsWith('postgresql://') || url.startsWith('postgres://'), {
      message: 'use file:<path> for SQLite or postgresql://… for PostgreSQL',
    }),
  CAIRN_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  CAIRN_SQLITE_SYNC: z.enum(['full', 'normal']).default('full'),
  CAIRN_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** The external URL; https: makes session cookies Secure (server/api/rest/accounts.routes.ts). */
  CAIRN_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** Proxies whose X-Forwarded-For/-Proto are believed: IPs, CIDRs, loopback, linklocal, uniquelocal. */
  CAIRN_TRUST_PROXY: z
    .string()
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
    .refine((entries) => entries.every(isProxyEntry), {
      message: 'comma-separated IPs or CIDRs of your proxies, or loopback, linklocal, uniquelocal',
    })
    .optional(),
  /** Hosts, IPs and CIDRs that actions' HTTP may reach although internal (see actions/egress.ts). */
  CAIRN_HTTP_ALLOW: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
    .superRefine((entries, ctx) => {
      try {
        parseAllowList(entries);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  /** How long a worker's claim on a run lasts unless renewed; a crashed worker's runs move on after it. */
  CAIRN_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
  /** How deep sub-workflows nest (a root run's child is 1 deep); a start past it fails with SUBFLOW_DEPTH. */
  CAIRN_MAX_SUBFLOW_DEPTH: z.coerce.number().int().min(1).max(100).default(10),
  /** Wall time of one evaluation of a user's expression (JSONata), in ms; over it the run fails naming the node. */
  CAIRN_EXPRESSION_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /** A code step's time budget in ms (QuickJS's interrupt handler; a thread that overruns it is ended). */
  CAIRN_CODE_TIMEOUT_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
  /** A code step's memory cap in MB (the QuickJS heap and its WebAssembly memory). */
  CAIRN_CODE_MEMORY_MB: z.coerce.number().int().min(8).max(2_048).default(64),
  /** The credentials key: 32 bytes as hex or base64 (checked at start-up by credentials/secret-key.ts, never echoed). */
  CAIRN_SECRET_KEY: z.string().optional(),
  /** The SMTP server email.send delivers through (nodemailer's URL: smtp://user:pass@host:587, smtps://host:465). */
  CAIRN_SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587' }).optional(),
  /** The sender of e-mails whose step names none. */
  CAIRN_MAIL_FROM: z.email({ error: 'must be an e-mail address, e.g. cairn@example.com' }).optional(),
  /** The team's action modules (server/actions/loader.ts); unset, ./actions if it exists. Set, it must exist. */
  CAIRN_ACTIONS_DIR: z.string().optional(),
  /**
   * Whose leases a worker holds. Two live processes may not share one (start-up refuses the second).
   * Set explicitly, it is stable across restarts, so a restarted process takes its own in-flight
   * runs back at once; the default is unique per process, and a restarted one recovers its old runs
   * when their leases expire, as any other worker would.
   */
  CAIRN_WORKER_ID: z.string().regex(WORKER_ID, 'letters, digits, dots, colons, dashes or underscores').default(defaultWorkerId),
  /** OpenTelemetry's standard variables (server/telemetry/): spans go over OTLP/HTTP when an endpoint is set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL (the collector; /v1/traces is appended)' }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL (used as it is)' }).optional(),
  OTEL_EXPORTER_OTLP_HEADERS: z
    .string()
    .transform((value) => value.split(',').map((pair) => pair.trim()).filter(Boolean))
    .refine((pairs) => pairs.every((pair) => /^[^=\s]+=.*$/.test(pair)), { message: 'comma-separated key=value pairs' })
    .transform((pairs) => Object.fromEntries(pairs.map((pair) => [decodeURIComponent(pair.slice(0, pair.indexOf('='))), decodeURIComponent(pair.slice(pair.indexOf('=') + 1))])))
    .optional(),
  OTEL_SERVICE_NAME: z.string().max(200).default('cairn'),
  /** `none` turns tracing off whatever the endpoint says (the only exporter is otlp). */
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none'], { error: 'otlp or none' }).default('otlp'),
  /** /metrics on the API port answers only to this bearer token. */
  CAIRN_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').max(500).optional(),
  /** /metrics on a port of its own (no API there). */
  CAIRN_METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
});

export type Config = z.infer<typeof configSchema> & {
  /** CAIRN_AI_BASE_URL, CAIRN_AI_API_KEY and CAIRN_AI_MODELS, checked by the model client's own parser. */
  ai: ModelConfig;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(present[String(issue.path[0])])})`));
  }
  let ai: ModelConfig;
  try {
    ai = modelConfigFromEnv(present);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  return { ...parsed.data, ai };
}
