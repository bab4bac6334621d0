// A database file `cairn start` cannot use stops it with one line that names the file and the problem,
// exit code 2, never a stack trace: random bytes, another application's SQLite database, a database
// from a newer Cairn, a read-only file, a read-only folder, a folder. Real `cairn` processes on real
// files. Run as root (CI is), the read-only cases run the process as `nobody`, for whom the
// permissions hold. SQLite files only: the SQLite pass runs it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { migratedTemplate } from '../testing/sqlite-template.js';
import { testDialect } from '../testing/test-database.js';

// Each test starts real `cairn` processes (tsx compiles on start-up): seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const root = fileURLToPath(new URL('../..', import.meta.url));
const cairn = path.join(root, 'bin/cairn.js');
const NOBODY = 65_534;
const asRoot = process.getuid?.() === 0;
let dir: string | undefined;
afterEach(() => {
  if (dir) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
  dir = undefined;
});

/**
 * A folder the command's user (nobody, when the test runs as root) owns and may write in; in the
 * system's temporary folder, because the test run's own (scratchRoot) is closed to other users.
 */
function folder(): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-dbfile-'));
  chmodSync(dir, 0o755);
  if (asRoot) chownSync(dir, NOBODY, NOBODY);
  return dir;
}

const own = (file: string) => (asRoot ? chownSync(file, NOBODY, NOBODY) : undefined);

/**
 * `cairn <args>` with DATABASE_URL=file:<file>. It must exit by itself: a server that starts is
 * stopped after 60 s (twice the slowest start seen under load) and shows as exit code null.
 */
function cairnWith(file: string, args = ['start']): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cairn, ...args], {
    cwd: path.dirname(file),
    env: { ...process.env, DATABASE_URL: `file:${file}`, HOST: '127.0.0.1', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(stop);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** Exit code 2 and exactly one line on stderr: "cairn: database <file> <problem>". */
function expectOneLineRefusal(result: { code: number | null; stdout: string; stderr: string }, file: string, problem: RegExp) {
  expect(result.stderr.split('\n')).toEqual([expect.stringMatching(/^cairn: database /), '']);
  expect(result.stderr).toContain(`cairn: database ${file} `);
  expect(result.stderr).toMatch(problem);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
  expect(result.stdout).not.toContain('serving');
  expect(result.code).toBe(2);
}

describe.runIf(testDialect() === 'sqlite')('cairn start on a database file it cannot use', () => {
  it('random bytes: not a SQLite database', async () => {
    const file = path.join(folder(), 'cairn.db');
    writeFileSync(file, randomBytes(64 * 1024));
    own(file);
    expectOneLineRefusal(await cairnWith(file), file, /is not a SQLite database/);
  }, 90_000);

  it('another application’s SQLite database: refused, and nothing is added to it (start and migrate)', async () => {
    const file = path.join(folder(), 'crm.db');
    const crm = new Database(file);
    crm.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada'); CREATE TABLE orders (id INTEGER)");
    crm.close();
    own(file);
    expectOneLineRefusal(await cairnWith(file), file, /is not a Cairn database: it has other tables \(customers, orders\) and no _prisma_migrations/);
    expectOneLineRefusal(await cairnWith(file, ['migrate']), file, /is not a Cairn database/);
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(['customers', 'orders']);
    after.close();
  }, 90_000);

  it('a database migrated by a newer Cairn: names the unknown migration', async () => {
    const file = path.join(folder(), 'cairn.db');
    copyFileSync(migratedTemplate(), file);
    const db = new Database(file);
    db.prepare("INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ('x', 'c', 1, '29990101000000_from_the_future', 1, 1)").run();
    db.close();
    own(file);
    expectOneLineRefusal(await cairnWith(file), file, /was migrated by a newer version of Cairn \(migration 29990101000000_from_the_future is unknown to this one\)/);
  }, 90_000);

  it('a read-only database file', async () => {
    const file = path.join(folder(), 'cairn.db');
    copyFileSync(migratedTemplate(), file);
    own(file);
    chmodSync(file, 0o444);
    expectOneLineRefusal(await cairnWith(file), file, /is read-only/);
  }, 90_000);

  it('a database in a read-only folder (SQLite cannot create its -wal and -shm files)', async () => {
    const inner = path.join(folder(), 'data');
    mkdirSync(inner);
    const file = path.join(inner, 'cairn.db');
    copyFileSync(migratedTemplate(), file);
    own(inner);
    own(file);
    chmodSync(inner, 0o555);
    try {
      expectOneLineRefusal(await cairnWith(file), file, /is in a read-only folder/);
    } finally {
      chmodSync(inner, 0o755);
    }
  }, 90_000);

  it('a folder where the file should be', async () => {
    const file = path.join(folder(), 'cairn.db');
    mkdirSync(file);
    own(file);
    expectOneLineRefusal(await cairnWith(file), file, /is a folder, not a database file/);
  }, 90_000);
});
