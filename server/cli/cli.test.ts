// The `cairn` command as a user runs it: a real process, real files, a real database (of the kind
// the test run is parametrised with), real exit codes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, testDialect, type TestDatabase } from '../testing/test-database.js';
import { openDatabaseReader } from '../testing/database-reader.js';

// Each test starts real `cairn` processes (tsx compiles on start-up): seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const root = fileURLToPath(new URL('../..', import.meta.url));
const cairn = path.join(root, 'bin/cairn.js');
let dir: string;
let database: TestDatabase | undefined;
let started: ChildProcess | undefined;
afterEach(async () => {
  if (started && started.exitCode === null && started.signalCode === null) {
    const exited = new Promise((resolve) => started!.once('exit', resolve));
    started.kill('SIGKILL');
    await exited;
  }
  started = undefined;
  rmSync(dir, { recursive: true, force: true });
  await database?.drop();
  database = undefined;
});

/** A fresh test database; its URL is the DATABASE_URL the commands get. */
async function testDatabaseUrl(): Promise<string> {
  database = await createTestDatabase();
  return database.url;
}

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cairn, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// `cairn run` keeps its run in a throw-away SQLite file (or --db <file>) whatever DATABASE_URL says:
// nothing here depends on the database under test, so it runs in the SQLite pass only.
describe.runIf(testDialect() === 'sqlite')('cairn run', () => {
  it('runs a graph to its end and prints the history and output', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-'));
    const graph = {
      format: 'cairn.graph/v1',
      nodes: [
        { id: 'start', kind: 'start', config: {} },
        { id: 'double', kind: 'step', config: { action: 'transform', input: { expression: 'n * 2', data: '{{ input }}' } } },
        { id: 'end', kind: 'end', config: { output: '{{ nodes.double }}' } },
      ],
      edges: [
        { id: 'a', source: 'start', sourcePort: 'next', target: 'double' },
        { id: 'b', source: 'double', sourcePort: 'ok', target: 'end' },
      ],
    };
    writeFileSync(path.join(dir, 'double.json'), JSON.stringify(graph));
    const result = run(['run', 'double.json', '--input', '{"n":21}']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^run [0-9a-f-]{36} of double v1$/m);
    expect(result.stdout).toContain('runStarted');
    expect(result.stdout).toContain('stepAttemptStarted double#1');
    expect(result.stdout).toMatch(/status: completed\noutput: 42\n$/);
  });

  it('stops at the first wait and prints what the run waits on', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-'));
    const result = run(['run', path.join(root, 'examples/payment-retry.json'), '--input', '{"subscription":"sub_1"}']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/status: waiting\nwaiting on: wait \(timer\) until \d{4}-\d\d-\d\dT/);
  });

  it.each([
    ['a file that is not JSON', 'broken.json', '{ "format": ', [], /broken\.json is not valid JSON/],
    ['an invalid graph, listing every problem', 'bad.json', JSON.stringify({ format: 'cairn.graph/v1', nodes: [{ id: 'x', kind: 'step', config: { action: 'nope' } }], edges: [] }), [], /\[NO_START\][\s\S]*\[NO_OUTGOING_EDGE\] node "x"[\s\S]*\[UNKNOWN_ACTION\] node "x"/],
    [
      'a step whose input its action refuses',
      'no-url.json',
      JSON.stringify({ format: 'cairn.graph/v2', nodes: [{ id: 'start', kind: 'start' }, { id: 'x', kind: 'step', config: { action: 'http.request', input: { method: 'POST' } } }, { id: 'end', kind: 'end' }], edges: [{ id: 'a', source: 'start', sourcePort: 'next', target: 'x' }, { id: 'b', source: 'x', sourcePort: 'ok', target: 'end' }] }),
      [],
      /\[ACTION_INPUT_INVALID\] node "x" input\.url: url is required \(input of http\.request\)/,
    ],
    ['input that is not JSON', 'ok.json', null, ['--input', '{nope'], /--input is not valid JSON/],
    ['input violating the input schema', 'ok.json', null, ['--input', '{}'], /subscription is required/],
    ['a missing file', 'missing.json', undefined, [], /cannot read missing\.json: ENOENT/],
  ])('refuses %s with exit code 2', (_what, file, content, extra, message) => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-'));
    const target = content === null ? path.join(root, 'examples/payment-retry.json') : file;
    if (typeof content === 'string') writeFileSync(path.join(dir, file), content);
    const result = run(['run', target, ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

/** `cairn start` with `env`; resolves with the process and the URL once it serves. */
async function startCairn(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cairn, 'start'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', CAIRN_LOG_LEVEL: 'warn', CAIRN_ADMIN_TOKEN: 'cli-test-admin-token-123', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started = child;
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`cairn start exited with ${code}`)));
  });
  return { child, url };
}

/** SIGTERM; resolves with the exit code. */
function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

describe('cairn start', () => {
  it('seeds the examples on first start, serves health and stops cleanly on SIGTERM', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-start-'));
    const { child, url } = await startCairn({ DATABASE_URL: await testDatabaseUrl() });
    const health = await fetch(`${url}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const workflows = await fetch(`${url}/api/v1/workflows`, { headers: { authorization: 'Bearer cli-test-admin-token-123' } });
    const seeded = ((await workflows.json()) as { slug: string; activeVersion: number }[]).map((workflow) => `${workflow.slug}@${workflow.activeVersion}`).sort();
    expect(seeded).toEqual(['expense-approval@1', 'order-fulfilment@1', 'payment-retry@1', 'subscription-lifecycle@1', 'ticket-triage@1']);
    expect(await stop(child)).toBe(0);
  });

  // A database file that does not exist yet, and SQLite's journal mode: SQLite's own business.
  it.runIf(testDialect() === 'sqlite')('creates the SQLite file and its folder, migrates it and sets WAL mode on first start', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-start-'));
    const dbFile = path.join(dir, 'data', 'cairn.db');
    const { child, url } = await startCairn({ DATABASE_URL: `file:${dbFile}` });
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    expect(await stop(child)).toBe(0);
    const db = await openDatabaseReader(`file:${dbFile}`);
    expect(await db.scalar('PRAGMA journal_mode')).toBe('wal');
    const tables = (await db.rows<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((row) => row.name);
    await db.close();
    expect(tables).toEqual(expect.arrayContaining(['_prisma_migrations', 'instances', 'history_events', 'timers', 'workflows', 'workflow_versions']));
  });

  // One process per case, each with the whole test time-out: under load a start-up takes seconds.
  it.each<[string, Record<string, string>, RegExp]>([
    ['PORT', { PORT: 'eighty' }, /PORT: .*"eighty"/],
    ['CAIRN_SQLITE_SYNC', { CAIRN_SQLITE_SYNC: 'sometimes' }, /CAIRN_SQLITE_SYNC/],
    ['CAIRN_WORKER_ID', { CAIRN_WORKER_ID: 'has spaces' }, /CAIRN_WORKER_ID/],
    ['CAIRN_ADMIN_TOKEN', { CAIRN_ADMIN_TOKEN: 'short' }, /CAIRN_ADMIN_TOKEN: must be at least 16 characters/],
    ['CAIRN_AI_MODELS', { CAIRN_AI_BASE_URL: 'http://127.0.0.1:1/v1', CAIRN_AI_MODELS: '{default:gpt}' }, /CAIRN_AI_MODELS must be a JSON object/],
    ['CAIRN_LEASE_MS', { CAIRN_LEASE_MS: '10' }, /CAIRN_LEASE_MS/],
  ])('a bad %s stops start-up with a message naming it', (_name, env, message) => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-start-'));
    const result = run(['start'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  // Workers apart from the API need PostgreSQL; on SQLite both are refused before anything starts.
  it.runIf(testDialect() === 'sqlite')('worker and start --no-worker on SQLite are refused, naming PostgreSQL', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-start-'));
    const sqlite = { DATABASE_URL: `file:${path.join(dir, 'cairn.db')}` };
    expect(run(['worker'], sqlite)).toMatchObject({ code: 2, stderr: expect.stringMatching(/worker needs PostgreSQL/) });
    expect(run(['start', '--no-worker'], sqlite)).toMatchObject({ code: 2, stderr: expect.stringMatching(/--no-worker needs PostgreSQL/) });
  });
});

describe('cairn import, export and token create', () => {
  it('imports a graph file as a published workflow and exports it again', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-'));
    const env = { DATABASE_URL: await testDatabaseUrl() };
    const imported = run(['import', path.join(root, 'examples/payment-retry.json'), '--slug', 'payments', '--publish'], env);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe('created the draft of payments (revision 1)\npublished payments version 1\n');
    // In the database DATABASE_URL names, whatever its kind.
    const db = await openDatabaseReader(env.DATABASE_URL);
    const stored = await db.rows('SELECT w.active_version, v.version FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id WHERE w.slug = ?', 'payments');
    await db.close();
    expect(stored).toEqual([{ active_version: 1, version: 1 }]);
    const exported = run(['export', 'payments', '--version', '1'], env);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'cairn.graph/v2', nodes: expect.arrayContaining([expect.objectContaining({ id: 'retry', kind: 'step' })]) });
    expect(run(['export', 'nope'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('no workflow "nope"') });
  });

  it('an invalid graph is imported as a draft but not published, with every problem listed', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-'));
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ format: 'cairn.graph/v1', nodes: [{ id: 's', kind: 'start' }, { id: 'x', kind: 'step', config: { action: 'nope' } }], edges: [] }));
    const result = run(['import', 'bad.json', '--publish'], { DATABASE_URL: await testDatabaseUrl() });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('created the draft of bad');
    for (const problem of ['node "s" has no outgoing edge', 'node "x" cannot be reached', 'no action named "nope"']) expect(result.stderr).toContain(problem);
  });

  it('token create prints a token once and stores only its hash', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-'));
    const url = await testDatabaseUrl();
    const created = run(['token', 'create', '--role', 'editor'], { DATABASE_URL: url });
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^cairn_[A-Za-z0-9_-]{40,}$/);
    const db = await openDatabaseReader(url);
    const rows = await db.rows<{ token_hash: string; role: string }>('SELECT token_hash, role FROM api_tokens');
    await db.close();
    expect(rows).toEqual([{ token_hash: expect.stringMatching(/^[0-9a-f]{64}$/), role: 'editor' }]);
    expect(rows[0].token_hash).not.toContain(token);
    expect(run(['token', 'create', '--role', 'root'], { DATABASE_URL: url })).toMatchObject({ code: 2, stderr: expect.stringContaining('role must be one of') });
  });
});
