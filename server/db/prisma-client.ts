// The generated Prisma client over SQLite (better-sqlite3 adapter). DateTime values are written as
// integer milliseconds since the epoch, the representation the engine's raw queries use.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/sqlite/client.js';

/**
 * `url` is a file path or `file:` URL (a relative one resolves against the process's cwd).
 * `unixepoch-ms` only changes how Date arguments are bound. Reading converts any integer in a
 * column declared DATETIME back to a Date, so ISO text written by other tools still reads.
 */
export function createSqlitePrismaClient(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }, { timestampFormat: 'unixepoch-ms' }) });
}
