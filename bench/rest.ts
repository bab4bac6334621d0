// REST start-run throughput and latency (issue 4): `cairn start` as a child process, as a user runs
// it, and 50 concurrent clients in this process each POSTing /api/v1/workflows/:slug/instances in
// a loop over kept-alive connections. Figures: requests/s and p50/p99 latency.
//
// The clients use node:http, not fetch: on this 2-core machine the load generator shares the CPU
// with the server it measures, and fetch (undici's WHATWG layer) cost the client as much CPU per
// request as the server spent on it, so the figure measured the client as much as Cairn (issue 21).
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { openDatabaseReader } from '../server/testing/database-reader.js';
import { statusCounts } from './db-stats.js';
import { median } from './stats.js';

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface RestRound {
  seconds: number;
  requestsPerSec: number;
  /** Per request, from fetch() to the body read, in ms. */
  latencyMs: LatencySummary;
  /** Until every run started in the round had completed, after its last response. */
  drainSeconds: number;
  /** CPU time used during the round: the server process (from /proc; null where there is none) and this (client) process. */
  cpuSeconds: { server: number | null; client: number };
}

export interface RestResult {
  /** Timed requests per round, spread over `clients` loops. */
  requests: number;
  clients: number;
  warmupRequests: number;
  /** The workflow every request starts (its runs execute in the same server while it is measured). */
  workflow: string;
  /** Medians over the rounds, figure by figure. */
  requestsPerSec: number;
  latencyMs: { p50: number; p99: number };
  /** Every timed round. */
  rounds: RestRound[];
}

export interface RestOptions {
  requests?: number;
  rounds?: number;
  clients?: number;
  warmupRequests?: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CAIRN = path.join(ROOT, 'bin/cairn.js');
const TOKEN = 'bench-admin-token-0123456789abcdef';
const SLUG = 'bench-rest';

/** start → one built-in transform step → end: a real step to run per request, and no action of the bench's own. */
function restGraph() {
  return {
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
}

interface Server {
  url: string;
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startServer(dir: string, file: string, sync: SqliteSync): Promise<Server> {
  // CAIRN_BENCH_SERVER_NODE_ARGS: Node flags for the server only (e.g. `--cpu-prof --cpu-prof-dir=DIR` to profile it).
  const nodeArgs = process.env.CAIRN_BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, CAIRN, 'start'], {
    cwd: dir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DATABASE_URL: `file:${file}`, CAIRN_ADMIN_TOKEN: TOKEN, CAIRN_SQLITE_SYNC: sync, CAIRN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ url: match[1], process: child, exited });
    });
    void exited.then(({ code, signal }) => reject(new Error(`rest benchmark: cairn start exited with ${signal ?? `code ${code}`} before serving:\n${output}`)));
  });
}

async function call(url: string, method: string, route: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${route}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** CPU seconds (user + system) a process has used so far, from /proc; null where there is no /proc. */
function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summarize(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
    mean: sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1),
  };
}

/**
 * `clients` loops sharing `total` start requests; each request has its own Idempotency-Key (as an
 * integration sending keys would). Any answer but 201 fails the benchmark.
 */
async function load(url: string, total: number, clients: number, keyPrefix: string): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = new Array(total);
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const requestPath = `/api/v1/workflows/${SLUG}/instances`;
  let next = 0;
  const post = (index: number) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const body = JSON.stringify({ input: { n: index } });
      const request = http.request(
        { agent, hostname, port, path: requestPath, method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': `${keyPrefix}-${index}` } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const client = async () => {
    while (next < total) {
      const index = next++;
      const began = performance.now();
      const { status, text } = await post(index);
      latencies[index] = performance.now() - began;
      if (status !== 201) throw new Error(`rest benchmark: request ${index} answered ${status}: ${text}`);
    }
  };
  const began = performance.now();
  try {
    await Promise.all(Array.from({ length: Math.min(clients, total) }, client));
  } finally {
    agent.destroy();
  }
  return { seconds: (performance.now() - began) / 1000, latencies };
}

export async function measureRest(sync: SqliteSync, options: RestOptions = {}): Promise<RestResult> {
  const requests = options.requests ?? 4_000;
  const roundCount = options.rounds ?? 3;
  const clients = options.clients ?? 50;
  const warmupRequests = options.warmupRequests ?? 3_000;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-rest-'));
  const file = path.join(dir, 'cairn.db');
  let server: Server | undefined;
  try {
    server = await startServer(dir, file, sync);
    const saved = await call(server.url, 'PUT', `/api/v1/workflows/${SLUG}`, { name: 'REST benchmark', graph: restGraph() });
    if (saved.status !== 201) throw new Error(`rest benchmark: saving the workflow answered ${saved.status}: ${JSON.stringify(saved.body)}`);
    const published = await call(server.url, 'POST', `/api/v1/workflows/${SLUG}/publish`, {});
    if (published.status !== 201) throw new Error(`rest benchmark: publishing answered ${published.status}: ${JSON.stringify(published.body)}`);

    const db = await openDatabaseReader(`file:${file}`);
    try {
      const unfinished = () => db.count(`SELECT COUNT(*) FROM instances WHERE status NOT IN ('completed', 'failed', 'cancelled')`);
      const pid = server.process.pid;
      // Warm-up: JIT in both processes, connections opened, SQLite's cache filled.
      await load(server.url, warmupRequests, clients, 'warmup');
      await waitFor(async () => (await unfinished()) === 0, 30_000, 'the warm-up runs to complete');

      const rounds: RestRound[] = [];
      for (let round = 1; round <= roundCount; round++) {
        const serverCpu = processCpuSeconds(pid);
        const clientCpu = process.cpuUsage();
        const { seconds, latencies } = await load(server.url, requests, clients, `round${round}`);
        const clientUsed = process.cpuUsage(clientCpu);
        const serverCpuAfter = processCpuSeconds(pid);
        const drainBegan = performance.now();
        await waitFor(async () => (await unfinished()) === 0, 60_000, `the runs of round ${round} to complete`);
        rounds.push({
          seconds,
          requestsPerSec: requests / seconds,
          latencyMs: summarize(latencies),
          drainSeconds: (performance.now() - drainBegan) / 1000,
          cpuSeconds: {
            server: serverCpu !== null && serverCpuAfter !== null ? serverCpuAfter - serverCpu : null,
            client: (clientUsed.user + clientUsed.system) / 1e6,
          },
        });
      }

      const counts = await statusCounts(db);
      const expected = warmupRequests + requests * roundCount;
      if (counts.completed !== expected || Object.keys(counts).length !== 1) {
        throw new Error(`rest benchmark: expected ${expected} completed runs, found ${JSON.stringify(counts)}`);
      }
      return {
        requests,
        clients,
        warmupRequests,
        workflow: 'start → transform step → end',
        requestsPerSec: median(rounds.map((round) => round.requestsPerSec)),
        latencyMs: { p50: median(rounds.map((round) => round.latencyMs.p50)), p99: median(rounds.map((round) => round.latencyMs.p99)) },
        rounds,
      };
    } finally {
      await db.close();
    }
  } finally {
    if (server) {
      server.process.kill('SIGTERM');
      const exit = await server.exited;
      if (exit.code !== 0) process.stderr.write(`  … rest benchmark: cairn start exited with ${exit.signal ?? `code ${exit.code}`} on SIGTERM\n`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls a condition (a cheap read-only query) until it holds. */
async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`rest benchmark: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
