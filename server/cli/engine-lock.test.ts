// Start-up refusals of a second engine (DESIGN §3, Containment), as a user meets them: real `cairn`
// processes on a real database. On SQLite a second `cairn start` on the file is refused, naming
// PostgreSQL, while the first goes on serving and the tools that are not engines go on working; on
// PostgreSQL a second process with the first one's explicit CAIRN_WORKER_ID is refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scratchRoot } from '../testing/sqlite-template.js';
import { createTestDatabase, testDialect, type TestDatabase } from '../testing/test-database.js';

// Each test starts real `cairn` processes (tsx compiles on start-up): seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const root = fileURLToPath(new URL('../..', import.meta.url));
const cairn = path.join(root, 'bin/cairn.js');
const ADMIN_TOKEN = 'engine-lock-admin-token-123';
let dir: string | undefined;
let database: TestDatabase | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map(kill));
  await database?.drop();
  database = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

function launch(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [cairn, ...args], {
    cwd: dir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', CAIRN_LOG_LEVEL: 'warn', CAIRN_ADMIN_TOKEN: ADMIN_TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

/** `cairn start`, resolved with its URL once it serves (rejected if it exits first). */
function serve(env: Record<string, string>, flags: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = launch(['start', ...flags], env);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1] });
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`cairn start exited with ${code} before serving:\n${output}`)));
  });
}

/** A command to its end: exit code and output. */
function finish(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = launch(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

async function healthy(url: string): Promise<boolean> {
  const response = await fetch(`${url}/api/v1/health`);
  return response.status === 200 && ((await response.json()) as { ok?: unknown }).ok === true;
}

const sqliteRefusal = /^cairn: another Cairn engine is running on \S+cairn\.db \(a live process holds \S+cairn\.db\.engine-lock\): one SQLite file takes one engine process\. To run several workers, use PostgreSQL/;

describe.runIf(testDialect() === 'sqlite')('one engine per SQLite file', () => {
  it('a second cairn start on the file is refused, naming PostgreSQL; the first goes on serving, and the tools work beside it', async () => {
    dir = mkdtempSync(path.join(scratchRoot(), 'cairn-engine-lock-'));
    const env = { DATABASE_URL: `file:${path.join(dir, 'data', 'cairn.db')}` };
    const first = await serve({ ...env, CAIRN_WORKER_ID: 'the-one' });

    // With a default worker id, and with the first one's explicit id: refused alike.
    for (const refused of await Promise.all([env, { ...env, CAIRN_WORKER_ID: 'the-one' }].map((second) => finish(['start'], second)))) {
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(sqliteRefusal);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(refused.stdout).not.toMatch(/serving on/);
    }
    expect(await healthy(first.url)).toBe(true);

    // Tools open the database without an engine: none is refused while the server runs.
    // (`cairn run` keeps its run in a throw-away file of its own.)
    const [migrated, token, exported, ran] = await Promise.all([
      finish(['migrate'], env),
      finish(['token', 'create', '--role', 'editor'], env),
      finish(['import', path.join(root, 'examples/payment-retry.json'), '--slug', 'beside', '--publish'], env).then(async (imported) => {
        expect(imported).toMatchObject({ code: 0 });
        return finish(['export', 'beside'], env);
      }),
      finish(['run', path.join(root, 'examples/payment-retry.json'), '--input', '{"subscription":"s"}'], env),
    ]);
    expect(migrated).toMatchObject({ code: 0, stdout: 'the database is up to date\n' });
    expect(token).toMatchObject({ code: 0, stdout: expect.stringMatching(/^cairn_/) });
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'cairn.graph/v2' });
    expect(ran).toMatchObject({ code: 0 });
    const workflows = await fetch(`${first.url}/api/v1/workflows/beside`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(workflows.status).toBe(200);
    expect(await healthy(first.url)).toBe(true);

    // The lock dies with its process: after a SIGKILL the next start on the file serves.
    await kill(first.child);
    const next = await serve(env);
    expect(await healthy(next.url)).toBe(true);
  }, 90_000);
});

describe.runIf(testDialect() === 'postgresql')('one live process per worker id', () => {
  it('a second cairn start with the first one\'s explicit CAIRN_WORKER_ID is refused; with a default id it serves beside it', async () => {
    dir = mkdtempSync(path.join(scratchRoot(), 'cairn-engine-lock-'));
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url };
    const first = await serve({ ...env, CAIRN_WORKER_ID: 'the-one' });
    // The refused one, one with a default id beside it, and an API process: an API process runs no
    // worker, so it holds no worker id and is never refused for one.
    const [refused, beside, api] = await Promise.all([
      finish(['start'], { ...env, CAIRN_WORKER_ID: 'the-one' }),
      serve(env),
      serve({ ...env, CAIRN_WORKER_ID: 'the-one' }, ['--no-worker']),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^cairn: worker id "the-one" is held by another live process: two processes may not share a CAIRN_WORKER_ID/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    for (const server of [first, beside, api]) expect(await healthy(server.url)).toBe(true);
  }, 90_000);
});
