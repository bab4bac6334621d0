// A real Cairn server on 127.0.0.1 (port 0) over a fresh test database (SQLite or PostgreSQL, as the
// test run is parametrised), with a FakeClock, for API tests.
import type { z } from 'zod';
import type { LoadedAction } from '../actions/loader.js';
import type { ModelConfig } from '../ai/model-config.js';
import type { ActionDefinition } from '../actions/registry.js';
import type { MailSettings } from '../actions/email.action.js';
import { createTestDatabase } from './test-database.js';
import { FakeClock } from '../engine/clock.js';
import { silentLogger, type Logger } from '../logger.js';
import { createServer } from '../main.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Raw body text (for malformed JSON). */
  raw?: string;
  headers?: Record<string, string>;
  cookie?: string;
}

export interface TestServerOptions {
  clock?: FakeClock;
  actions?: ActionDefinition<z.ZodType, unknown>[];
  /** A team's actions, as loadTeamActions gives them (with module file and hash). */
  teamActions?: LoadedAction[];
  sessionTtlMs?: number;
  seed?: boolean;
  /** CAIRN_PUBLIC_URL and CAIRN_TRUST_PROXY. */
  publicUrl?: string;
  trustProxy?: string[];
  /** A web app to serve (default: dist/web when built). */
  webRoot?: string;
  /** CAIRN_SECRET_KEY, CAIRN_HTTP_ALLOW, and where the server logs (default: nowhere). */
  secretKey?: string;
  httpAllow?: string[];
  logger?: Logger;
  /** The model configuration (e.g. a fake provider from fake-openai.ts). */
  ai?: ModelConfig;
  /** CAIRN_SMTP_URL and CAIRN_MAIL_FROM (e.g. a real smtp-server on 127.0.0.1). */
  mail?: MailSettings;
  /** Webhook requests a minute per webhook, and the shortest schedule interval (server/triggers/). */
  webhookRateLimit?: number;
  scheduleMinIntervalMs?: number;
}

export async function startTestServer(options: TestServerOptions = {}) {
  const database = await createTestDatabase();
  const clock = options.clock ?? new FakeClock();
  const server = await createServer({
    databaseUrl: database.url,
    host: '127.0.0.1',
    port: 0,
    clock,
    logger: options.logger ?? silentLogger,
    secretKey: options.secretKey,
    httpAllow: options.httpAllow,
    sync: 'normal',
    adminToken: ADMIN_TOKEN,
    seed: options.seed ?? false,
    actions: options.actions,
    teamActions: options.teamActions,
    sessionTtlMs: options.sessionTtlMs,
    publicUrl: options.publicUrl,
    trustProxy: options.trustProxy,
    webRoot: options.webRoot,
    ai: options.ai,
    mail: options.mail,
    webhookRateLimit: options.webhookRateLimit,
    scheduleMinIntervalMs: options.scheduleMinIntervalMs,
  }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });

  // A test server always runs its worker (tests drain it); only a PostgreSQL API process may not.
  const worker = server.worker;
  if (!worker) throw new Error('the test server has no worker');

  /** One HTTP call; the admin token unless told otherwise (`token: ''` sends none). */
  async function call(method: string, url: string, opts: CallOptions = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token ?? (opts.cookie ? '' : ADMIN_TOKEN);
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.cookie) headers.cookie = opts.cookie;
    let payload: string | undefined = opts.raw;
    if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${server.url}${url}`, { method, headers, body: payload });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as any) : undefined };
  }

  return {
    server,
    clock,
    worker,
    databaseUrl: database.url,
    call,
    count: (sql: string) => (server.prisma.$queryRawUnsafe(sql) as Promise<{ n: bigint | number }[]>).then((rows) => Number(rows[0].n)),
    async close() {
      await server.close();
      await database.drop();
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
