// A SQLite file as the engine sees it: one connection (WAL), the engine lock of the file, and the
// store on them.
import type { EngineDatabase, OpenEngineDatabaseOptions } from '../engine-database.types.js';
import type { EngineLock } from '../engine-lock.js';
import { publishVersion } from '../versions.js';
import { holdSqliteEngineLock } from './engine-lock.js';
import { createSqliteEngineStore } from './engine-store.js';
import { openSqlite } from './open.js';
import { sqliteStatements } from './statements.js';

export function openSqliteEngineDatabase(url: string, options: OpenEngineDatabaseOptions = {}): EngineDatabase {
  const db = openSqlite(url, { sync: options.sync, migrate: options.migrate });
  let lock: EngineLock | undefined;
  try {
    if (options.engineLock) {
      lock = holdSqliteEngineLock(url);
      // Holding the one engine lock of this file, every lease left in it belongs to a process that
      // is gone: let them lapse now, so its in-flight runs resume at once rather than after their
      // lease (the owner is kept: the claim counts the interruption toward quarantine).
      db.prepare('UPDATE instances SET lease_expires_at = 0 WHERE lease_owner IS NOT NULL').run();
    }
  } catch (error) {
    db.close();
    throw error;
  }
  const statements = sqliteStatements(db);
  return {
    dialect: 'sqlite',
    url,
    store: createSqliteEngineStore(db),
    publishVersion: async (publish) => statements.transaction(() => publishVersion('sqlite', publish)),
    scalar: async <T>(sql: string, ...params: unknown[]) => db.prepare(sql).pluck().get(...params) as T,
    transact: async (program) => statements.transaction(program),
    async close() {
      db.close();
      await lock?.release();
    },
  };
}
