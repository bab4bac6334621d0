// A real Cairn server on 127.0.0.1 (port 0) over a temp SQLite copy, with a FakeClock, for API tests.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { ActionDefinition } from '../../actions/registry.js';
import { FakeClock } from '../../engine/clock.js';
import { migratedTemplate, scratchRoot } from '../../engine/testing/harness.js';
import { silentLogger } from '../../logger.js';
import { createServer } from '../../server.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Raw body text (for malformed JSON). */
  raw?: string;
  headers?: Record<string, string>;
  cookie?: string;
}

export async function startTestServer(options: { clock?: FakeClock; actions?: ActionDefinition<z.ZodType, unknown>[]; sessionTtlMs?: number; seed?: boolean } = {}) {
  const dir = mkdtempSync(path.join(scratchRoot(), 'cairn-server-'));
  const file = path.join(dir, 'cairn.db');
  copyFileSync(migratedTemplate(), file);
  const clock = options.clock ?? new FakeClock();
  const server = await createServer({
    databaseUrl: `file:${file}`,
    host: '127.0.0.1',
    port: 0,
    clock,
    logger: silentLogger,
    sync: 'normal',
    adminToken: ADMIN_TOKEN,
    seed: options.seed ?? false,
    actions: options.actions,
    sessionTtlMs: options.sessionTtlMs,
  });

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
    file,
    call,
    count: (sql: string) => (server.prisma.$queryRawUnsafe(sql) as Promise<{ n: bigint | number }[]>).then((rows) => Number(rows[0].n)),
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
