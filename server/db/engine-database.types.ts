// One database as the engine and its tools see it, whichever the dialect: the interface only (the
// dialect switch is engine-database.ts; each dialect's opener is its sqlite/ or postgres/ file).
// The store is the engine's hot path; publishing and the raw read are for the CLI, tests and benchmarks.
import type { EngineStore, StoreChanges } from '../engine/store.js';
import type { Logger } from '../logger.js';
import type { Dialect } from './dialect.js';
import type { EngineLockOptions } from './engine-lock.js';
import type { SqliteSync } from './sqlite/open.js';
import type { Program } from './statements.js';
import type { PublishedVersion, PublishOptions } from './versions.js';

export type { Dialect, PublishedVersion, PublishOptions };

export interface EngineDatabase {
  readonly dialect: Dialect;
  readonly url: string;
  readonly store: EngineStore;
  /** Create the workflow if needed, add the graph as its next version and make it active. */
  publishVersion(options: PublishOptions): Promise<PublishedVersion>;
  /** The first column of the first row (undefined without rows); `?` placeholders on both kinds. */
  scalar<T = unknown>(sql: string, ...params: unknown[]): Promise<T>;
  /** A program of db/statements.ts run in one transaction (schedules' ticks, server/db/schedule-ticks.ts). */
  transact<T>(program: () => Program<T>): Promise<T>;
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
