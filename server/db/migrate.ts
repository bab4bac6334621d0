// Applies the SQL migrations in prisma/migrations to a SQLite database at start-up, with no Prisma
// engine: each in its own transaction, recorded in `_prisma_migrations` the way Prisma records them,
// so `prisma migrate deploy` and `prisma migrate status` agree with the result. The reading and
// checking of migration folders is shared with the PostgreSQL migrator (postgres/migrate.ts).
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

const defaultDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

// Prisma's own DDL on SQLite. SQLite drops `IF NOT EXISTS` from the text it keeps in sqlite_master,
// so the stored schema is byte for byte what Prisma creates.
const migrationsTableDdl = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  script: string;
}

/** A `_prisma_migrations` row of one migration that was not rolled back. */
export interface RecordedRow {
  checksum: string;
  finished_at: unknown;
}

export function applyMigrations(db: Database.Database, options: { dir?: string } = {}): { applied: string[] } {
  const dir = options.dir ?? defaultDir;
  if (db.inTransaction) throw new Error('applyMigrations: the connection is inside a transaction');
  const migrations = listMigrations(dir, 'sqlite');
  refuseForeign(db, migrations);
  db.exec(migrationsTableDdl);

  // Prisma's table-rebuilding scripts turn foreign keys off around `DROP TABLE`, but SQLite ignores
  // that pragma inside a transaction, and with enforcement on (better-sqlite3's default) the drop
  // would cascade-delete child rows. So enforcement is off while migrating and checked before commit.
  const enforcing = Number(db.pragma('foreign_keys', { simple: true })) === 1;
  if (enforcing) db.pragma('foreign_keys = OFF');
  const applied: string[] = [];
  try {
    for (const migration of migrations) {
      // IMMEDIATE takes the write lock before the check, so two processes starting together do not
      // both apply the same migration.
      if (db.transaction(() => applyOne(db, migration)).immediate()) applied.push(migration.name);
    }
  } finally {
    if (enforcing) db.pragma('foreign_keys = ON');
  }
  return { applied };
}

/**
 * Refuses another application's database (tables, but no `_prisma_migrations`) before anything is
 * added to it, and a database migrated by a newer Cairn (a finished migration unknown here).
 */
function refuseForeign(db: Database.Database, migrations: Migration[]): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  if (tables.length === 0) return;
  if (!tables.includes('_prisma_migrations')) {
    const named = tables.slice(0, 3).join(', ') + (tables.length > 3 ? `, … (${tables.length} tables)` : '');
    throw new Error(`is not a Cairn database: it has other tables (${named}) and no _prisma_migrations; point DATABASE_URL at a new file or a Cairn database`);
  }
  const known = new Set(migrations.map((migration) => migration.name));
  const recorded = db.prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name').pluck().all() as string[];
  const unknown = recorded.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(`was migrated by a newer version of Cairn (migration ${unknown.join(', ')} is unknown to this one); run that version or a newer one`);
  }
}

/** Applies one migration unless it is already recorded as finished; returns whether it applied. */
function applyOne(db: Database.Database, { name, script }: Migration): boolean {
  const rows = db
    .prepare('SELECT checksum, finished_at FROM _prisma_migrations WHERE migration_name = ? AND rolled_back_at IS NULL')
    .all(name) as RecordedRow[];
  if (isRecordedAsApplied({ name, script }, rows)) return false;

  // Same row life cycle as Prisma: inserted when started, then one step counted and finished_at set.
  // Times are integer milliseconds, as Prisma's native engine writes them on SQLite.
  const id = randomUUID();
  db.prepare('INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES (?, ?, ?, ?)').run(
    id,
    checksumOf(script),
    Date.now(),
    name,
  );
  try {
    db.exec(script);
  } catch (error) {
    throw new Error(`Migration ${name} failed: ${(error as Error).message}`, { cause: error });
  }
  const violations = db.pragma('foreign_key_check') as unknown[];
  if (violations.length > 0) {
    throw new Error(`Migration ${name} leaves ${violations.length} foreign key violation(s); nothing was applied`);
  }
  db.prepare('UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1 WHERE id = ?').run(id);
  db.prepare('UPDATE _prisma_migrations SET finished_at = ? WHERE id = ?').run(Date.now(), id);
  return true;
}

/**
 * Whether `rows` (the migration's recorded rows, rolled-back ones excluded) show it applied. Throws
 * when it was applied from a different file or when it failed and nobody resolved that.
 */
export function isRecordedAsApplied({ name, script }: Migration, rows: RecordedRow[]): boolean {
  const finished = rows.find((row) => row.finished_at !== null);
  if (finished) {
    if (!matchesChecksum(script, finished.checksum)) {
      throw new Error(`Migration ${name} was modified after it was applied (checksum mismatch); restore its migration.sql`);
    }
    return true;
  }
  if (rows.length > 0) {
    throw new Error(`Migration ${name} failed earlier; resolve it with \`prisma migrate resolve\` before migrating again`);
  }
  return false;
}

/** Migration folders in name order (their timestamp prefix), refusing another provider's folder. */
export function listMigrations(dir: string, expected: 'sqlite' | 'postgresql'): Migration[] {
  if (!existsSync(dir)) throw new Error(`No migrations folder at ${dir}`);
  const lockfile = path.join(dir, 'migration_lock.toml');
  const provider = existsSync(lockfile) ? /^provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockfile, 'utf8'))?.[1] : expected;
  if (provider !== expected) throw new Error(`${lockfile} is for provider "${provider}", not ${expected}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, 'migration.sql');
      if (!existsSync(file)) throw new Error(`Migration ${name} has no migration.sql`);
      return { name, script: readFileSync(file, 'utf8') };
    });
}

/** Prisma's checksum of a migration: sha256 of the file, in hex. */
export function checksumOf(script: string): string {
  return createHash('sha256').update(script).digest('hex');
}

// Like Prisma, accept the file with either line ending, since git may rewrite them on checkout.
function matchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\r\n', '\n').replaceAll('\n', '\r\n')];
  return variants.some((variant) => checksumOf(variant) === checksum);
}
