// One database as the engine and its tools see it, whichever kind the URL names: `file:` (or a
// path) for SQLite, `postgresql://` for PostgreSQL. The store is the engine's hot path; publishing
// and the raw read are for the CLI, tests and benchmarks.
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { EngineStore, StoreChanges } from '../engine/store.js';
import type { Logger } from '../logger.js';
import type { EngineLock, EngineLockOptions } from './engine-lock.js';
import { holdSqliteEngineLock } from './sqlite/engine-lock.js';
import { createSqliteEngineStore } from './sqlite/engine-store.js';
import { openSqlite, type SqliteSync } from './sqlite/open.js';
import { publishVersion } from './sqlite/versions.js';

export type Dialect = 'sqlite' | 'postgresql';

export interface PublishOptions {
  slug: string;
  name?: string;
  graph: Graph;
  note?: string;
  now: number;
}

export interface PublishedVersion {
  workflowId: string;
  versionId: string;
  version: number;
}

export interface EngineDatabase {
  readonly dialect: Dialect;
  readonly url: string;
  readonly store: EngineStore;
  /** Create the workflow if needed, add the graph as its next version and make it active. */
  publishVersion(options: PublishOptions): Promise<PublishedVersion>;
  /** The first column of the first row (undefined without rows); `?` placeholders on both kinds. */
  scalar<T = unknown>(sql: string, ...params: unknown[]): Promise<T>;
  /**
   * PostgreSQL only: hear the runs and tasks other processes change (their workers' checkpoints,
   * their decisions). On SQLite one process does everything, and its worker's notices say it all.
   */
  subscribeChanges?(listener: (changes: StoreChanges) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenEngineDatabaseOptions {
  /** SQLite only: `full` (default) survives power loss, `normal` only a process crash. */
  sync?: SqliteSync;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
  /** PostgreSQL only: connections in the pool (default 10). */
  poolSize?: number;
  /**
   * PostgreSQL only: hear other processes' wake-ups (default true). Off for a worker that stands
   * for a dead process in a test.
   */
  listen?: boolean;
  /** Where a lost wake-up listener connection is reported (PostgreSQL). */
  logger?: Logger;
  /**
   * This process runs an engine (a worker) on the database: hold its lock until close — on SQLite
   * one engine per file, on PostgreSQL one live process per worker id — or refuse to open with an
   * EngineLockError. Tools that only read and write (migrate, token, export, import) leave it out.
   */
  engineLock?: EngineLockOptions;
}

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//i.test(url) ? 'postgresql' : 'sqlite';
}

export async function openEngineDatabase(url: string, options: OpenEngineDatabaseOptions = {}): Promise<EngineDatabase> {
  if (dialectOf(url) === 'postgresql') {
    const { openPostgresEngineDatabase } = await import('./postgres/engine-database.js');
    return openPostgresEngineDatabase(url, options);
  }
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
  return {
    dialect: 'sqlite',
    url,
    store: createSqliteEngineStore(db),
    publishVersion: async (publish) => publishVersion(db, publish),
    scalar: async <T>(sql: string, ...params: unknown[]) => db.prepare(sql).pluck().get(...params) as T,
    async close() {
      db.close();
      await lock?.release();
    },
  };
}
