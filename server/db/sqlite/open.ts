// Opens the SQLite database for the engine: creates the file and its folder, sets the pragmas
// (WAL; synchronous=FULL unless told otherwise) and applies pending migrations. Whatever is wrong
// with the file on the way (read-only, not a database, corrupt, foreign) is a DatabaseFileError.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations } from '../migrate.js';
import { checkFileAccess, describeOpenError } from './file-check.js';

export type SqliteSync = 'full' | 'normal';

export interface OpenSqliteOptions {
  /** `full` (default): a committed checkpoint survives power loss. `normal`: only a process crash. */
  sync?: SqliteSync;
  migrate?: boolean;
}

/** `file:./data/cairn.db`, `file:/abs/path.db` or a plain path → a filesystem path. */
export function sqlitePath(url: string): string {
  return url.startsWith('file:') ? url.slice('file:'.length) : url;
}

export function openSqlite(url: string, options: OpenSqliteOptions = {}): Database.Database {
  const file = sqlitePath(url);
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      checkFileAccess(file);
    }
    db = new Database(file);
    // The first statement reads the header: a file that is not a database fails here.
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.sync === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    if (options.migrate !== false) applyMigrations(db);
    return db;
  } catch (error) {
    db?.close();
    throw describeOpenError(file, error);
  }
}
