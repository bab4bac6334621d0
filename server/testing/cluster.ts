// Real Cairn processes on one PostgreSQL database for the scale-out tests: `cairn start --no-worker`
// (the API) and `cairn worker` children, a REST client for the API, a read connection for the
// test's own queries, and bounded waits on conditions. Every child is SIGKILLed by `stopAll`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { scratchRoot } from './sqlite-template.js';
import { postgresTestUrl } from './test-database.js';

const cairn = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));
export const ADMIN_TOKEN = 'scale-out-admin-token-0123456789';

export interface CairnProcess {
  readonly name: string;
  readonly process: ChildProcess;
  /** The API's base URL (`start` only). */
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

export interface Cluster {
  api(env?: Record<string, string>): Promise<CairnProcess>;
  /**
   * `cairn worker` with CAIRN_WORKER_ID = `workerId`, or with none (`undefined`): then the child
   * picks its own, and the process's name is the id it prints. Rejects with an ExitedEarly when the
   * child exits before it is ready (a refusal).
   */
  worker(workerId: string | undefined, env?: Record<string, string>): Promise<CairnProcess>;
  /** SIGKILL `child` and resolve once it has exited. */
  kill(child: CairnProcess): Promise<void>;
  stopAll(): Promise<void>;
}

/** A child that exited before it was ready: how, and what it printed. */
export class ExitedEarly extends Error {
  constructor(
    readonly child: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly output: string,
  ) {
    super(`${child} exited with ${signal ?? code} before it was ready:\n${output}`);
    this.name = 'ExitedEarly';
  }
}

/** Children of one test on `databaseUrl`; each prints a line once it is ready. */
export function createCluster(databaseUrl: string, baseEnv: Record<string, string> = {}): Cluster {
  const children: CairnProcess[] = [];
  const dir = mkdtempSync(path.join(scratchRoot(), 'cairn-scale-out-'));

  function launch(name: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<CairnProcess> {
    const proc = spawn(process.execPath, [cairn, ...args], {
      cwd: dir,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DATABASE_URL: databaseUrl, CAIRN_ADMIN_TOKEN: ADMIN_TOKEN, CAIRN_LOG_LEVEL: 'warn', ...baseEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    const child = { name, process: proc, url: '', exited, output: () => text };
    children.push(child);
    proc.stderr!.on('data', (chunk: Buffer) => (text += chunk));
    return new Promise((resolve, reject) => {
      proc.stdout!.on('data', (chunk: Buffer) => {
        text += chunk;
        const match = ready.exec(text);
        if (match) resolve(Object.assign(child, match.groups ?? {}));
      });
      void exited.then(({ code, signal }) => reject(new ExitedEarly(name, code, signal, text)));
    });
  }

  return {
    api: (env = {}) => launch('api', ['start', '--no-worker'], env, /serving on (?<url>http:\/\/\S+)/),
    // An empty CAIRN_WORKER_ID counts as unset, whatever this process's environment holds.
    worker: (workerId, env = {}) => launch(workerId ?? 'worker', ['worker'], { CAIRN_WORKER_ID: workerId ?? '', ...env }, /Cairn worker (?<name>\S+) is running/),
    async kill(child) {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
      await child.exited;
    },
    async stopAll() {
      await Promise.all(children.map((child) => this.kill(child)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RestResponse<Body = any> {
  status: number;
  body: Body;
}

/** Calls to the API's REST v1 as the admin. */
export function restClient(baseUrl: string) {
  return async function call<Body = any>(
    method: string,
    route: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<RestResponse<Body>> {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

export type Rest = ReturnType<typeof restClient>;

/** Save a graph as the workflow's draft and publish it. */
export async function publish(rest: Rest, slug: string, graph: unknown): Promise<void> {
  const saved = await rest('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph } });
  if (saved.status !== 201) throw new Error(`saving ${slug} gave ${saved.status}: ${JSON.stringify(saved.body)}`);
  const published = await rest('POST', `/api/v1/workflows/${slug}/publish`, { body: {} });
  if (published.status !== 201) throw new Error(`publishing ${slug} gave ${published.status}: ${JSON.stringify(published.body)}`);
}

/** A plain connection for the test's own reads; COUNT (bigint) comes back as a number. */
export async function connectReader(url: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    types: { getTypeParser: ((oid: number, format?: 'text') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  await client.connect();
  return client;
}

/** Wait until `condition` holds, checking every `everyMs`; fail after `timeoutMs` naming `what`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { what, timeoutMs, everyMs = 20 }: { what: string; timeoutMs: number; everyMs?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Each scale-out test loads the whole machine (several processes and PostgreSQL), and the latency
 * test measures wall-clock time: hold a cluster-wide advisory lock so that they never overlap, even
 * when Vitest runs files in parallel. Returns the release.
 */
export async function exclusiveMachine(): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: postgresTestUrl() });
  await client.connect();
  await client.query(`SELECT pg_advisory_lock(hashtext('cairn-scale-out-tests'))`);
  return () => client.end();
}

/** The median and the maximum of some numbers. */
export function spread(values: number[]): { median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return { median: sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2, max: sorted.at(-1) ?? Number.NaN };
}
