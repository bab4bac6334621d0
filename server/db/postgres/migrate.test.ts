// applyPostgresMigrations on real, empty databases of the test cluster (one per test); the check that
// prisma/postgresql/migrations is up to date with the schema; and the Prisma client on the result.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { planMigration } from '../../../prisma/scripts/schema-engine.js';
import { createPostgresPrismaClient, createPrismaClient, prismaDialect } from '../prisma-client.js';
import { createWorkflowsRepo } from '../repos/workflows.repo.js';
import { postgresTestUrl, withPostgresAdmin } from '../../testing/test-database.js';
import { applyPostgresMigrations, postgresMigrationsDir } from './migrate.js';

const migrationNames = fs
  .readdirSync(postgresMigrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An empty database, dropped after the test; returns its URL. */
async function emptyDatabase(): Promise<string> {
  const name = `cairn_test_migrate_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await withPostgresAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  cleanups.push(() => withPostgresAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
  return postgresTestUrl(name);
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

/** A copy of the real migrations plus extra ones, for cases the real history does not cover. */
function migrationsWith(extra: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(process.env.CAIRN_TEST_TMP ?? os.tmpdir(), 'cairn-pg-migrations-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(postgresMigrationsDir, dir, { recursive: true });
  for (const [name, script] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), script);
  }
  return dir;
}

const tableNames = async (client: pg.Client): Promise<string[]> =>
  (await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map(
    (row) => row.tablename,
  );

const recordedNames = async (client: pg.Client): Promise<string[]> =>
  (await client.query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name')).rows.map(
    (row) => row.migration_name,
  );

describe('applyPostgresMigrations', () => {
  it('applies every migration to an empty database and records it as Prisma does', async () => {
    const url = await emptyDatabase();
    expect(await applyPostgresMigrations(url)).toEqual(migrationNames);
    const client = await connect(url);
    expect(await tableNames(client)).toEqual(
      expect.arrayContaining(['_prisma_migrations', 'workflows', 'workflow_versions', 'instances', 'history_events', 'timers', 'signals']),
    );
    const { rows } = await client.query('SELECT * FROM _prisma_migrations ORDER BY migration_name');
    expect(rows.map((row) => row.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      const script = fs.readFileSync(path.join(postgresMigrationsDir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(script).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row).toMatchObject({ applied_steps_count: 1, logs: null, rolled_back_at: null });
      expect(row.started_at).toBeInstanceOf(Date);
      expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
  });

  it('applies nothing the second time, through a URL or a connected client', async () => {
    const url = await emptyDatabase();
    await applyPostgresMigrations(url);
    expect(await applyPostgresMigrations(url)).toEqual([]);
    const client = await connect(url);
    expect(await applyPostgresMigrations(client)).toEqual([]);
    expect(await recordedNames(client)).toEqual(migrationNames);
  });

  it('applies each migration once when several processes start together', async () => {
    const url = await emptyDatabase();
    const results = await Promise.all(Array.from({ length: 4 }, () => applyPostgresMigrations(url)));
    expect(results.filter((applied) => applied.length > 0)).toEqual([migrationNames]);
    expect(results.filter((applied) => applied.length === 0)).toHaveLength(3);
    expect(await recordedNames(await connect(url))).toEqual(migrationNames);
  });

  it('refuses a database whose recorded checksum differs from the file, naming the migration', async () => {
    const url = await emptyDatabase();
    await applyPostgresMigrations(url);
    const [first] = migrationNames;
    await (await connect(url)).query("UPDATE _prisma_migrations SET checksum = 'tampered' WHERE migration_name = $1", [first]);
    await expect(applyPostgresMigrations(url)).rejects.toThrow(`Migration ${first} was modified after it was applied`);
  });

  it('refuses, applying nothing, while a failed migration is recorded', async () => {
    const url = await emptyDatabase();
    await applyPostgresMigrations(url);
    const client = await connect(url);
    await client.query(
      "INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ($1, 'x', '20990101000000_half_done', 'boom')",
      [randomUUID()],
    );
    const dir = migrationsWith({ '99990101000000_extra': 'CREATE TABLE "extra" ("id" TEXT);' });
    await expect(applyPostgresMigrations(url, { dir })).rejects.toThrow(/^Migration 20990101000000_half_done failed earlier; resolve it/);
    expect(await tableNames(client)).not.toContain('extra');

    // Once resolved as rolled back, it no longer stands in the way.
    await client.query("UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '20990101000000_half_done'");
    expect(await applyPostgresMigrations(url, { dir })).toEqual(['99990101000000_extra']);
  });

  it('refuses a database migrated by a newer version (a migration this one does not have)', async () => {
    const url = await emptyDatabase();
    const dir = migrationsWith({ '99990101000000_newer': 'CREATE TABLE "newer" ("id" TEXT);' });
    await applyPostgresMigrations(url, { dir });
    await expect(applyPostgresMigrations(url)).rejects.toThrow(/has migration 99990101000000_newer, which this version of Cairn does not have/);
  });

  it('rolls a failing migration back entirely and records nothing for it', async () => {
    const url = await emptyDatabase();
    const dir = migrationsWith({ '99990101000000_broken': 'CREATE TABLE "extra" ("id" TEXT);\nNOT SQL;\n' });
    await expect(applyPostgresMigrations(url, { dir })).rejects.toThrow(/^Migration 99990101000000_broken failed: /);
    const client = await connect(url);
    expect(await tableNames(client)).not.toContain('extra');
    expect(await recordedNames(client)).toEqual(migrationNames);
    // The lock was released: the next start applies the fixed history.
    expect(await applyPostgresMigrations(url)).toEqual([]);
  });

  it("refuses another provider's migrations folder", async () => {
    const url = await emptyDatabase();
    const dir = migrationsWith({});
    fs.writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "sqlite"\n');
    await expect(applyPostgresMigrations(url, { dir })).rejects.toThrow(/is for provider "sqlite", not postgresql/);
  });
});

describe('prisma/postgresql/migrations', () => {
  it('is up to date with the schema (else `npm run db:migration -- --name … --provider postgresql`)', async () => {
    const planned = await planMigration('postgresql', 'drift_check', { postgresAdminUrl: postgresTestUrl() });
    expect(planned.migrationScript).toBeNull();
  });
});

describe('createPostgresPrismaClient', () => {
  it('stores DateTime as UTC timestamp(3) and reads what raw SQL wrote as the same Date', async () => {
    const url = await emptyDatabase();
    await applyPostgresMigrations(url);
    const prisma = await createPostgresPrismaClient(url);
    cleanups.push(() => prisma.$disconnect());
    const client = await connect(url);
    await client.query("SET TIME ZONE 'America/New_York'");

    const createdAt = new Date('2026-03-04T05:06:07.089Z');
    await prisma.workflow.create({ data: { id: 'w1', slug: 'expenses', name: 'Expenses', draft: '{}', createdAt, updatedAt: createdAt } });
    const stored = await client.query("SELECT to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS') AS text FROM workflows WHERE id = 'w1'");
    expect(stored.rows[0].text).toBe('2026-03-04T05:06:07.089');

    const rawMs = Date.UTC(2027, 0, 2, 3, 4, 5, 678);
    await client.query(
      "INSERT INTO workflows VALUES ('w2', 'raw', 'Raw', '{}', 0, NULL, to_timestamp($1::float8 / 1000) AT TIME ZONE 'UTC', to_timestamp($1::float8 / 1000) AT TIME ZONE 'UTC')",
      [rawMs],
    );
    expect((await prisma.workflow.findUniqueOrThrow({ where: { id: 'w2' } })).createdAt).toEqual(new Date(rawMs));
    expect(await prisma.workflow.count({ where: { createdAt: { gt: createdAt } } })).toBe(1);
  });

  it('is what createPrismaClient makes for a postgresql:// URL, and the repos know it', async () => {
    const url = await emptyDatabase();
    const prisma = await createPrismaClient(url);
    cleanups.push(() => prisma.$disconnect());
    expect(prismaDialect(prisma)).toBe('postgresql');
    expect(prismaDialect(await createPostgresPrismaClient(url))).toBe('postgresql');
  });
});

describe('workflows repo on PostgreSQL', () => {
  it('counts waiting runs per version and node from the waiting_on JSON', async () => {
    const url = await emptyDatabase();
    await applyPostgresMigrations(url);
    const prisma = await createPostgresPrismaClient(url);
    cleanups.push(() => prisma.$disconnect());
    const now = new Date();
    await prisma.workflow.create({ data: { id: 'w', slug: 'w', name: 'W', draft: '{}', createdAt: now, updatedAt: now } });
    for (const version of [1, 2]) {
      await prisma.workflowVersion.create({ data: { id: `v${version}`, workflowId: 'w', version, graph: '{}', graphHash: 'h', publishedAt: now } });
    }
    const run = (id: string, version: number, status: string, waitingOn: unknown[] | null) =>
      prisma.instance.create({
        data: {
          id, workflowId: 'w', versionId: `v${version}`, version, status, input: '{}', state: '{}', rev: 1, historyCount: 0,
          waitingOn: waitingOn && JSON.stringify(waitingOn), createdAt: now, updatedAt: now,
        },
      });
    await run('a', 1, 'waiting', [{ nodeId: 'review', kind: 'approval' }]);
    await run('b', 1, 'waiting', [{ nodeId: 'review' }, { nodeId: 'timer' }]);
    await run('c', 2, 'waiting', [{ nodeId: 'review' }]);
    await run('d', 2, 'waiting', null);
    await run('e', 2, 'completed', [{ nodeId: 'review' }]);

    const counts = await createWorkflowsRepo(prisma).waitingCounts('w');
    const sorted = [...counts].sort((x, y) => x.version - y.version || x.nodeId.localeCompare(y.nodeId));
    expect(sorted).toEqual([
      { version: 1, nodeId: 'review', count: 2 },
      { version: 1, nodeId: 'timer', count: 1 },
      { version: 2, nodeId: 'review', count: 1 },
    ]);
  });
});
