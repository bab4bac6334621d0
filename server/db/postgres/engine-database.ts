// A PostgreSQL database as the engine sees it: a pool, the wake-up channel and the store on them.
import type { EngineDatabase, OpenEngineDatabaseOptions } from '../engine-database.types.js';
import { runStatements } from '../statements.js';
import { publishVersion } from '../versions.js';
import { createPostgresEngineStore } from './engine-store.js';
import { applyPostgresMigrations } from './migrate.js';
import { silentLogger } from '../../logger.js';
import { createPool, numberedPlaceholders, queryRows, transaction } from './sql.js';
import { createWakeChannel } from './wake.js';
import { holdWorkerLock } from './worker-lock.js';

export async function openPostgresEngineDatabase(url: string, options: OpenEngineDatabaseOptions = {}): Promise<EngineDatabase> {
  if (options.migrate !== false) await applyPostgresMigrations(url);
  const lock = options.engineLock ? await holdWorkerLock(url, { ...options.engineLock, logger: options.engineLock.logger ?? options.logger }) : undefined;
  const pool = createPool(url, options.poolSize ?? 10);
  const wake = createWakeChannel(url, options.logger ?? silentLogger);
  return {
    dialect: 'postgresql',
    url,
    store: createPostgresEngineStore(pool, wake, { listen: options.listen !== false }),
    publishVersion: (publish) =>
      transaction(pool, (client) => runStatements(publishVersion('postgresql', publish), (statement) => queryRows(client, statement.sql, statement.params))),
    async scalar<T>(sql: string, ...params: unknown[]) {
      const { rows } = await pool.query({ text: numberedPlaceholders(sql), values: params, rowMode: 'array' });
      return rows[0]?.[0] as T;
    },
    transact: (program) => transaction(pool, (client) => runStatements(program(), (statement) => queryRows(client, statement.sql, statement.params))),
    subscribeChanges: (listener) => wake.subscribeChanges(listener),
    async close() {
      await wake.close();
      await pool.end();
      await lock?.release();
    },
  };
}
