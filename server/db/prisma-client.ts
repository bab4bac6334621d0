// The generated Prisma clients for the API, one per database kind, picked by the URL. On SQLite
// (better-sqlite3 adapter) DateTime values are written as integer milliseconds since the epoch, the
// representation the engine's raw queries use; on PostgreSQL (pg adapter) they are timestamp(3), UTC.
// The PostgreSQL client and its adapter are imported when one is made: a SQLite process never loads
// them (nor the pg driver), which keeps the generated client's runtime for the other database out of
// its memory.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { dialectOf, type Dialect } from './dialect.js';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.js';
import { sqlitePath, type SqliteSync } from './sqlite/open.js';

/**
 * The client type the API is written against, whichever the database. Both clients are generated
 * from the same models (prisma/postgresql/schema.prisma is derived from prisma/schema.prisma), so
 * their model APIs are identical; the SQLite client's type is the common subset (PostgreSQL adds
 * options such as `mode: 'insensitive'` and more isolation levels, which the API must not use).
 */
export type PrismaClient = SqlitePrismaClient;

const postgresClients = new WeakSet<object>();

/**
 * `url` is a file path or `file:` URL (a relative one resolves against the process's cwd).
 * `unixepoch-ms` only changes how Date arguments are bound. Reading converts any integer in a
 * column declared DATETIME back to a Date, so ISO text written by other tools still reads.
 */
export function createSqlitePrismaClient(url: string): PrismaClient {
  return new SqlitePrismaClient({ adapter: new PrismaBetterSqlite3({ url }, { timestampFormat: 'unixepoch-ms' }) });
}

/** `url` is a postgres:// or postgresql:// URL; the client keeps its own pool (close with $disconnect). */
export async function createPostgresPrismaClient(url: string): Promise<PrismaClient> {
  const [{ PrismaPg }, { PrismaClient: PostgresPrismaClient }] = await Promise.all([import('@prisma/adapter-pg'), import('./generated/postgresql/client.js')]);
  const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  postgresClients.add(client);
  // The one cast between the two generated types: same models, and the SQLite type is the subset.
  return client as unknown as PrismaClient;
}

export interface CreatePrismaClientOptions {
  /** SQLite only: `full` (default) or `normal`, as the engine's connection (sqlite/open.ts). */
  sync?: SqliteSync;
}

/**
 * The client for the database the URL names: postgres(ql):// → PostgreSQL, otherwise SQLite (whose
 * connection then waits up to 5 s for the engine's write lock and syncs as the engine does).
 */
export async function createPrismaClient(url: string, options: CreatePrismaClientOptions = {}): Promise<PrismaClient> {
  if (dialectOf(url) === 'postgresql') return createPostgresPrismaClient(url);
  const prisma = createSqlitePrismaClient(sqlitePath(url));
  await prisma.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
  await prisma.$queryRawUnsafe(`PRAGMA synchronous = ${options.sync === 'normal' ? 'NORMAL' : 'FULL'}`);
  return prisma;
}

/** The kind of database a client made here talks to, for the few raw queries that differ. */
export function prismaDialect(prisma: PrismaClient): Dialect {
  return postgresClients.has(prisma) ? 'postgresql' : 'sqlite';
}
