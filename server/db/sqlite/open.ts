// Opens the SQLite database for the engine: creates the file and its folder, sets the pragmas
// (WAL; synchronous=FULL unless told otherwise) and applies pending migrations.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations } from '../migrate.js';

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
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.sync === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  if (options.migrate !== false) applyMigrations(db);
  return db;
}
