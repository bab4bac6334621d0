// Hostile code steps against a real `cairn start` process (DESIGN §3, containment): an endless loop
// and a memory bomb each end their run with the budget's error, while a plain run started beside
// them — transform steps and a code step — completes within 2 s, and the server is the same process,
// serving, at the end. A bad CAIRN_CODE_* or CAIRN_SECRET_KEY stops start-up naming the variable.
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { lineOfSteps } from '../testing/graphs.js';
import { scratchRoot, until } from '../testing/harness.js';
import { startCairnProcess, type CairnProcess } from '../testing/cairn-process.js';

const ADMIN_TOKEN = 'hostile-code-admin-token-0123';
const BESIDE_MS = 2_000;
const cairnBin = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));

let dir: string;
let database: TestDatabase;
let cairn: CairnProcess;
let pid: number | undefined;

async function publish(slug: string, graph: unknown): Promise<void> {
  expect([200, 201]).toContain((await cairn.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph } })).status);
  const published = await cairn.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
}

async function start(slug: string, input: unknown = {}): Promise<string> {
  const started = await cairn.call('POST', `/api/v1/workflows/${slug}/instances`, { body: { input } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body.id as string;
}

async function finished(id: string): Promise<any> {
  let run: any;
  await until(
    async () => {
      run = (await cairn.call('GET', `/api/v1/instances/${id}`)).body;
      return ['completed', 'failed', 'cancelled'].includes(run.status);
    },
    { timeoutMs: 30_000, what: `run ${id} to finish` },
  );
  return run;
}

const transform = (id: string, data: string) => ({ id, action: 'transform', input: { expression: 'n + 1', data: { n: data } } });

beforeAll(async () => {
  dir = mkdtempSync(path.join(scratchRoot(), 'cairn-hostile-code-'));
  database = await createTestDatabase();
  cairn = await startCairnProcess({ databaseUrl: database.url, adminToken: ADMIN_TOKEN, cwd: dir, env: { CAIRN_CODE_TIMEOUT_MS: '1000', CAIRN_CODE_MEMORY_MB: '32' } });
  pid = cairn.process.pid;
  const plain = lineOfSteps([transform('a', '{{ input.n }}'), { id: 'b', action: 'code', input: { code: 'return input + 1', input: '{{ nodes.a }}' } }, transform('c', '{{ nodes.b }}')]);
  plain.nodes.find((node) => node.id === 'end')!.config = { output: '{{ nodes.c }}' };
  await publish('plain', plain);
  await publish('endless', lineOfSteps([{ id: 'spin', action: 'code', input: { code: 'while (true) {}' } }]));
  await publish('bomb', lineOfSteps([{ id: 'hoard', action: 'code', input: { code: 'const hoard = [];\nfor (;;) hoard.push(new ArrayBuffer(1 << 20));' } }]));
  // The sandbox's threads start with the first code step: a server that has run code before.
  expect(await finished(await start('plain', { n: 0 }))).toMatchObject({ status: 'completed', output: 3 });
}, 90_000);

afterAll(async () => {
  try {
    expect(cairn.process.pid).toBe(pid);
    expect(cairn.process.exitCode).toBeNull();
    expect((await cairn.call('GET', '/api/v1/health')).status).toBe(200);
    expect(cairn.stderr()).not.toMatch(/unhandled|uncaught/i);
  } finally {
    await cairn?.stop('SIGTERM');
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

describe('hostile code steps beside a plain run', () => {
  it('an endless loop and a memory bomb end with their budget errors; the plain run completes within 2 s', async () => {
    const endless = await start('endless');
    const bomb = await start('bomb');
    const began = Date.now();
    const plain = await start('plain', { n: 1 });
    expect(await finished(plain)).toMatchObject({ status: 'completed', output: 4 });
    const took = Date.now() - began;
    expect(took, `the plain run took ${took} ms beside the hostile ones`).toBeLessThan(BESIDE_MS);
    expect((await finished(endless)).error).toMatchObject({ code: 'CODE_TIMEOUT', nodeId: 'spin', message: expect.stringMatching(/time budget of 1,000 ms \(CAIRN_CODE_TIMEOUT_MS\)/) });
    expect((await finished(bomb)).error).toMatchObject({ code: 'CODE_MEMORY_LIMIT', nodeId: 'hoard', message: expect.stringMatching(/memory cap of 32 MB \(CAIRN_CODE_MEMORY_MB\)/) });
  }, 60_000);
});

describe('start-up refuses bad budgets and keys, naming the variable', () => {
  const startWith = (env: Record<string, string>) =>
    spawnSync(process.execPath, [cairnBin, 'start'], { cwd: dir, env: { ...process.env, DATABASE_URL: `file:${path.join(dir, 'refused.db')}`, PORT: '0', ...env }, encoding: 'utf8', timeout: 30_000 });

  it.each([
    [{ CAIRN_CODE_TIMEOUT_MS: 'soon' }, /CAIRN_CODE_TIMEOUT_MS/],
    [{ CAIRN_CODE_MEMORY_MB: '1' }, /CAIRN_CODE_MEMORY_MB/],
    [{ CAIRN_SECRET_KEY: 'not-a-key!' }, /CAIRN_SECRET_KEY is not hex or base64/],
    [{ CAIRN_SECRET_KEY: Buffer.alloc(16, 1).toString('base64') }, /CAIRN_SECRET_KEY decodes to 16 bytes, not 32/],
  ])('%j', (env, message) => {
    const result = startWith(env as Record<string, string>);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
    if ('CAIRN_SECRET_KEY' in env) expect(result.stderr).not.toContain((env as Record<string, string>).CAIRN_SECRET_KEY);
  }, 40_000);
});
