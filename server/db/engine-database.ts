// The dialect switch: the URL picks the opener (PostgreSQL's driver is loaded only when named).
// What it opens is described in engine-database.types.ts, re-exported here for the callers.
import { dialectOf } from './dialect.js';
import type { EngineDatabase, OpenEngineDatabaseOptions } from './engine-database.types.js';
import { openSqliteEngineDatabase } from './sqlite/engine-database.js';

export { dialectOf };
export type { Dialect } from './dialect.js';
export type { EngineDatabase, OpenEngineDatabaseOptions, PublishedVersion, PublishOptions } from './engine-database.types.js';

export async function openEngineDatabase(url: string, options: OpenEngineDatabaseOptions = {}): Promise<EngineDatabase> {
  if (dialectOf(url) === 'postgresql') {
    const { openPostgresEngineDatabase } = await import('./postgres/engine-database.js');
    return openPostgresEngineDatabase(url, options);
  }
  return openSqliteEngineDatabase(url, options);
}
