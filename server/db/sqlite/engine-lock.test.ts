// One engine per SQLite file (DESIGN §3, Containment): the lock on `<file>.engine-lock`, taken by
// openEngineDatabase for an engine and by nothing else, against real files and real processes.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngineDatabase, type EngineDatabase } from '../engine-database.js';
import { EngineLockError } from '../engine-lock.js';
import { holdLockInChild, killLockHolders } from '../../testing/lock-holder.js';
import { scratchRoot } from '../../testing/sqlite-template.js';
import { engineLockPath, holdSqliteEngineLock } from './engine-lock.js';

const open: EngineDatabase[] = [];
let dir: string | undefined;
afterEach(async () => {
  await killLockHolders();
  for (const database of open.splice(0)) await database.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A fresh folder and a database URL in it (the file is created on first open). */
function freshUrl(): string {
  dir = mkdtempSync(path.join(scratchRoot(), 'cairn-engine-lock-'));
  return `file:${path.join(dir, 'cairn.db')}`;
}

async function engine(url: string, workerId = 'w') {
  const database = await openEngineDatabase(url, { sync: 'normal', engineLock: { workerId } });
  open.push(database);
  return database;
}

const refusal = /another Cairn engine is running on .*cairn\.db .*one SQLite file takes one engine process\. To run several workers, use PostgreSQL/;

describe('the SQLite engine lock', () => {
  it('refuses a second engine on the file, whatever its worker id, until the first closes', async () => {
    const url = freshUrl();
    const first = await engine(url, 'a');
    await expect(openEngineDatabase(url, { engineLock: { workerId: 'b' } })).rejects.toThrow(refusal);
    await expect(openEngineDatabase(url, { engineLock: { workerId: 'a' } })).rejects.toBeInstanceOf(EngineLockError);
    // The first engine is untouched by the refusals.
    expect(await first.scalar('SELECT COUNT(*) FROM instances')).toBe(0);
    await first.close();
    open.splice(0);
    const again = await engine(url, 'b');
    expect(await again.scalar('SELECT 1')).toBe(1);
  });

  it('leaves the database to everything that is not an engine: tools open it while an engine runs', async () => {
    const url = freshUrl();
    const running = await engine(url);
    const tool = await openEngineDatabase(url);
    await tool.publishVersion({ slug: 'x', graph: { format: 'cairn.graph/v1', nodes: [{ id: 'start', kind: 'start', config: {} }], edges: [] } as never, now: 0 });
    await tool.close();
    expect(await running.scalar('SELECT COUNT(*) FROM workflow_versions')).toBe(1);
  });

  it('is one lock for every spelling of the file: relative, absolute, through a symbolic link', async () => {
    const url = freshUrl();
    await engine(url);
    const absolute = url.slice('file:'.length);
    const relative = path.relative(process.cwd(), absolute);
    const link = path.join(dir!, 'link.db');
    symlinkSync(absolute, link);
    for (const other of [`file:${relative}`, relative, `file:${link}`]) {
      expect(engineLockPath(other)).toBe(`${absolute}.engine-lock`);
      await expect(openEngineDatabase(other, { engineLock: { workerId: 'x' } })).rejects.toThrow(refusal);
    }
  });

  it('is dropped by the kernel when the process that holds it is SIGKILLed', async () => {
    const url = freshUrl();
    await (await openEngineDatabase(url)).close(); // create and migrate the file first
    const holder = holdLockInChild(url, 'child');
    expect(await holder.outcome).toBe('held');
    await expect(openEngineDatabase(url, { engineLock: { workerId: 'here' } })).rejects.toThrow(refusal);
    // A second process is refused the same way, with the message on its stderr.
    const second = holdLockInChild(url, 'child-2');
    expect(await second.outcome).toEqual({ code: 3, output: expect.stringMatching(refusal) });
    await holder.kill();
    expect(holder.process.signalCode).toBe('SIGKILL');
    const after = await engine(url, 'here');
    expect(await after.scalar('SELECT 1')).toBe(1);
  });

  it('refuses an engine in another process while this one holds the lock', async () => {
    const url = freshUrl();
    await engine(url);
    const other = holdLockInChild(url, 'other');
    expect(await other.outcome).toEqual({ code: 3, output: expect.stringMatching(refusal) });
  });

  it('names the lock file when it cannot be a lock: a folder in its place, or a file that is not SQLite', async () => {
    const url = freshUrl();
    const lockFile = `${url.slice('file:'.length)}.engine-lock`;
    mkdirSync(lockFile);
    await expect(openEngineDatabase(url, { engineLock: { workerId: 'w' } })).rejects.toThrow(`cannot take the engine lock ${lockFile}`);
    rmSync(lockFile, { recursive: true });
    writeFileSync(lockFile, 'this is not a database, '.repeat(200));
    await expect(openEngineDatabase(url, { engineLock: { workerId: 'w' } })).rejects.toThrow(`cannot take the engine lock ${lockFile}`);
    // Each refusal closed what it had opened: with the file back in order, an engine starts.
    rmSync(lockFile);
    expect(await (await engine(url)).scalar('SELECT 1')).toBe(1);
  });

  it('takes no lock for an in-memory database, which no other connection can see', async () => {
    const first = holdSqliteEngineLock(':memory:');
    const second = holdSqliteEngineLock('file::memory:');
    await first.release();
    await second.release();
    await second.release(); // twice is harmless
  });
});
