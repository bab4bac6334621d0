// One engine per SQLite file: the engine holds an exclusive SQLite lock on a sidecar file,
// `<database>.engine-lock`, for as long as it runs. The lock is an fcntl lock, which the kernel drops
// when the process dies however it dies, so a SIGKILLed server never blocks its restart; SQLite
// also tracks it within one process, so a second engine in the same process is refused too. The
// database itself is not locked: the API's Prisma connection and the CLI's tools go on using it.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { EngineLockError, type EngineLock } from '../engine-lock.js';
import { sqlitePath } from './open.js';

/** The database file itself: absolute, symbolic links resolved, so every spelling names one lock. */
function realFile(url: string): string {
  const file = path.resolve(sqlitePath(url));
  return existsSync(file) ? realpathSync(file) : file;
}

/** The sidecar the lock is held on, beside the database file. */
export function engineLockPath(url: string): string {
  return `${realFile(url)}.engine-lock`;
}

/** Hold the engine lock of the SQLite database at `url`, or throw EngineLockError at once. */
export function holdSqliteEngineLock(url: string): EngineLock {
  const file = sqlitePath(url);
  // An in-memory database is private to its connection: there is nothing to share.
  if (file === ':memory:') return { dialect: 'sqlite', release: async () => {} };
  const lockFile = engineLockPath(url);
  let lock: Database.Database | undefined;
  try {
    // No busy wait: a lock held by a live engine stays held, and the answer must come at once.
    lock = new Database(lockFile, { timeout: 0 });
    // In exclusive locking mode a connection keeps the locks it took until it closes; the empty
    // exclusive transaction takes the strongest one (a read from anyone else gets SQLITE_BUSY).
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.pragma('journal_mode = MEMORY');
    lock.exec('BEGIN EXCLUSIVE');
    lock.exec('COMMIT');
  } catch (error) {
    lock?.close();
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new EngineLockError(
        `another Cairn engine is running on ${realFile(url)} (a live process holds ${lockFile}): one SQLite file takes one engine process. ` +
          'To run several workers, use PostgreSQL (DATABASE_URL=postgresql://…, then `cairn worker`; see "Running on PostgreSQL" in the README)',
      );
    }
    throw new EngineLockError(`cannot take the engine lock ${lockFile}: ${(error as Error).message}`);
  }
  const held = lock;
  return {
    dialect: 'sqlite',
    async release() {
      if (held.open) held.close();
    },
  };
}
