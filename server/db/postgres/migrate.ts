// Applies the SQL migrations in prisma/postgresql/migrations to a PostgreSQL database at start-up,
// with no Prisma engine: each in its own transaction, recorded in `_prisma_migrations` the way Prisma
// records them (so `prisma migrate deploy`/`status` agree), under Prisma's own advisory lock so that
// any number of processes starting together apply each migration once.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { checksumOf, isRecordedAsApplied, listMigrations, type Migration, type RecordedRow } from '../migrate.js';

export const postgresMigrationsDir = fileURLToPath(new URL('../../../prisma/postgresql/migrations', import.meta.url));

/** The key `prisma migrate` locks with, so this and `prisma migrate deploy` never run at once. */
const PRISMA_MIGRATE_LOCK = 72707369;

// Prisma's own DDL on PostgreSQL (IF NOT EXISTS added; created under the lock).
const migrationsTableDdl = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

interface MigrationRow extends RecordedRow {
  migration_name: string;
  rolled_back_at: Date | null;
}

export interface ApplyPostgresMigrationsOptions {
  /** The migrations folder (default prisma/postgresql/migrations). */
  dir?: string;
}

/**
 * Applies pending migrations and returns the names applied, in order (empty when up to date).
 * `target` is a connection URL (a connection is opened and closed here) or a connected client that
 * is not inside a transaction (e.g. a pool's client; the caller releases it). Tables go into the
 * connection's current schema (`public` by default). Refuses, applying nothing, when the database
 * records a failed migration or one this build does not have; refuses a migration whose file
 * changed after it was applied. A migration that fails is rolled back entirely and not recorded.
 */
export async function applyPostgresMigrations(
  target: string | pg.ClientBase,
  options: ApplyPostgresMigrationsOptions = {},
): Promise<string[]> {
  const migrations = listMigrations(options.dir ?? postgresMigrationsDir, 'postgresql');
  const client = typeof target === 'string' ? new pg.Client({ connectionString: target }) : target;
  if (typeof target === 'string') await client.connect();
  try {
    // A session lock: held across the per-migration transactions, released below or when the
    // connection ends (so a process killed mid-way does not block the others).
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    try {
      await client.query(migrationsTableDdl);
      const { rows } = await client.query<MigrationRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
      );
      refuseUnresolved(rows, migrations);
      const applied: string[] = [];
      for (const migration of migrations) {
        const recorded = rows.filter((row) => row.migration_name === migration.name && row.rolled_back_at === null);
        if (isRecordedAsApplied(migration, recorded)) continue;
        await applyOne(client, migration);
        applied.push(migration.name);
      }
      return applied;
    } finally {
      // If the connection broke, the lock went with it; an error here would hide the real one.
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]).catch(() => undefined);
    }
  } finally {
    if (typeof target === 'string') await (client as pg.Client).end();
  }
}

/** Failed or unknown migrations anywhere in the table stop start-up before anything is applied. */
function refuseUnresolved(rows: MigrationRow[], migrations: Migration[]): void {
  const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new Error(
      `Migration ${failed.migration_name} failed earlier; resolve it with \`prisma migrate resolve\` before migrating again`,
    );
  }
  const known = new Set(migrations.map((migration) => migration.name));
  const unknown = rows.find((row) => row.rolled_back_at === null && !known.has(row.migration_name));
  if (unknown) {
    throw new Error(
      `The database has migration ${unknown.migration_name}, which this version of Cairn does not have: ` +
        'it was migrated by a newer version; run that version (or restore the migration folder)',
    );
  }
}

/** Same row life cycle as Prisma's: inserted when started, then one step counted and finished_at set. */
async function applyOne(client: pg.ClientBase, { name, script }: Migration): Promise<void> {
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    await client.query('INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)', [
      id,
      checksumOf(script),
      name,
    ]);
    try {
      // No parameters, so pg sends it as one simple query, which may hold many statements.
      await client.query(script);
    } catch (error) {
      throw new Error(`Migration ${name} failed: ${(error as Error).message}`, { cause: error });
    }
    // clock_timestamp(): now() is the transaction's start, which would make finished = started.
    await client.query(
      'UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp() WHERE id = $1',
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
