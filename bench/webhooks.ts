// Webhook starts/s (issue 16) beside REST start-run in the same run: one server process (the
// webhook rate limit raised), one workflow (start → transform step → end), 50 concurrent clients;
// rounds alternate REST (POST /api/v1/workflows/:slug/instances with an API token) and webhook
// (POST /hooks/:slug/:id signed with Cairn-Signature, HMAC-SHA256 of the body). Each request has
// its own Idempotency-Key. Figures: requests/s, p50/p99 latency, and the webhook/REST ratio.
// `npx tsx bench/webhooks.ts` (CAIRN_SQLITE_SYNC: full or normal, default full); `npm run bench` runs it too.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { openDatabaseReader } from '../server/testing/database-reader.js';
import { signatureHeader } from '../server/triggers/webhook-auth.js';
import { median } from './stats.js';

const TOKEN = 'bench-admin-token-0123456789abcdef';
const SLUG = 'bench-hooks';
const CHILD = fileURLToPath(new URL('./webhooks.child.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));

export interface WebhookBenchResult {
  sync: SqliteSync;
  clients: number;
  requests: number;
  rounds: number;
  rest: { requestsPerSec: number; p50: number; p99: number };
  webhook: { requestsPerSec: number; p50: number; p99: number };
  /** Webhook requests/s over REST requests/s (medians). */
  ratio: number;
}

const graph = {
  format: 'cairn.graph/v1',
  nodes: [
    { id: 'start', kind: 'start', config: {} },
    { id: 'add', kind: 'step', config: { action: 'transform', input: { expression: 'n + 1', data: { n: '{{ input.n }}' } } } },
    { id: 'end', kind: 'end', config: { output: '{{ nodes.add }}' } },
  ],
  edges: [
    { id: 'a', source: 'start', sourcePort: 'next', target: 'add' },
    { id: 'b', source: 'add', sourcePort: 'ok', target: 'end' },
  ],
};

async function api(url: string, method: string, route: string, body: unknown): Promise<any> {
  const response = await fetch(`${url}${route}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`webhook benchmark: ${method} ${route} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

type Send = (index: number) => Promise<Response>;

async function load(total: number, clients: number, send: Send, expected: number) {
  const latencies: number[] = new Array(total);
  let next = 0;
  const client = async () => {
    while (next < total) {
      const index = next++;
      const began = performance.now();
      const response = await send(index);
      const text = await response.text();
      latencies[index] = performance.now() - began;
      if (response.status !== expected) throw new Error(`webhook benchmark: request ${index} answered ${response.status}: ${text}`);
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: Math.min(clients, total) }, client));
  const seconds = (performance.now() - began) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return { requestsPerSec: total / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

export async function measureWebhooks(sync: SqliteSync, options: { requests?: number; rounds?: number; clients?: number } = {}): Promise<WebhookBenchResult> {
  const requests = options.requests ?? 3_000;
  const roundCount = options.rounds ?? 3;
  const clients = options.clients ?? 50;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-hooks-'));
  const databaseUrl = `file:${path.join(dir, 'cairn.db')}`;
  const child = spawn(process.execPath, [TSX, CHILD, databaseUrl, sync, TOKEN], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        const match = /serving on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]);
      });
      void exited.then(() => reject(new Error(`webhook benchmark: the server exited before serving:\n${output}`)));
    });
    await api(url, 'PUT', `/api/v1/workflows/${SLUG}`, { name: 'Webhook benchmark', graph });
    await api(url, 'POST', `/api/v1/workflows/${SLUG}/publish`, {});
    const { result } = await api(url, 'POST', '/trpc/triggers.createWebhook', { workflow: SLUG });
    const { secret, trigger } = result.data as { secret: string; trigger: { path: string } };

    const rest: Send = (index) =>
      fetch(`${url}/api/v1/workflows/${SLUG}/instances`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'idempotency-key': `rest-${index}-${Math.random()}` },
        body: JSON.stringify({ input: { n: index } }),
      });
    const hook: Send = (index) => {
      const body = JSON.stringify({ n: index });
      return fetch(`${url}${trigger.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cairn-signature': signatureHeader(secret, Date.now(), body), 'idempotency-key': `hook-${index}-${Math.random()}` },
        body,
      });
    };
    const db = await openDatabaseReader(databaseUrl);
    const drained = async () => {
      while ((await db.count(`SELECT COUNT(*) FROM instances WHERE status NOT IN ('completed', 'failed', 'cancelled')`)) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    try {
      // Warm-up of both paths: JIT, connections, SQLite's cache.
      await load(1_000, clients, rest, 201);
      await load(1_000, clients, hook, 202);
      await drained();
      const rounds = { rest: [] as Awaited<ReturnType<typeof load>>[], webhook: [] as Awaited<ReturnType<typeof load>>[] };
      for (let round = 0; round < roundCount; round++) {
        rounds.rest.push(await load(requests, clients, rest, 201));
        await drained();
        rounds.webhook.push(await load(requests, clients, hook, 202));
        await drained();
      }
      const summary = (list: Awaited<ReturnType<typeof load>>[]) => ({ requestsPerSec: median(list.map((r) => r.requestsPerSec)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)) });
      const restFigures = summary(rounds.rest);
      const webhookFigures = summary(rounds.webhook);
      return { sync, clients, requests, rounds: roundCount, rest: restFigures, webhook: webhookFigures, ratio: webhookFigures.requestsPerSec / restFigures.requestsPerSec };
    } finally {
      await db.close();
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatWebhooksTable(result: WebhookBenchResult): string {
  const row = (name: string, figures: WebhookBenchResult['rest']) => `${name.padEnd(28)}${figures.requestsPerSec.toFixed(0).padStart(8)}${figures.p50.toFixed(1).padStart(10)}${figures.p99.toFixed(1).padStart(10)}`;
  return [
    `webhook starts vs REST start-run (${result.clients} clients, ${result.requests} requests × ${result.rounds} rounds, synchronous=${result.sync.toUpperCase()})`,
    `${''.padEnd(28)}${'req/s'.padStart(8)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}`,
    row('REST start-run (token)', result.rest),
    row('webhook (HMAC signature)', result.webhook),
    `webhook / REST: ${result.ratio.toFixed(2)}`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const sync = (process.env.CAIRN_SQLITE_SYNC || 'full') as SqliteSync;
  measureWebhooks(sync)
    .then((result) => console.log(formatWebhooksTable(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
