// applyMigrations on real SQLite files, and the Prisma client's agreement with raw SQL on times.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations } from './migrate.js';
import { createSqlitePrismaClient } from './prisma-client.js';

const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const migrationNames = fs
  .readdirSync(migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-migrate-test-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function openDb(file = path.join(tempDir(), 'test.db')): Database.Database {
  const db = new Database(file);
  cleanups.push(() => db.close());
  return db;
}

/** A copy of the real migrations plus extra ones, for cases the real history does not cover. */
function migrationsWith(extra: Record<string, string>): string {
  const dir = tempDir();
  fs.cpSync(migrationsDir, dir, { recursive: true });
  for (const [name, script] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), script);
  }
  return dir;
}

const tableNames = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (row) => row.name,
  );

describe('applyMigrations', () => {
  it('applies every migration to a fresh database and records it as Prisma does', () => {
    const db = openDb();
    expect(applyMigrations(db)).toEqual({ applied: migrationNames });
    expect(tableNames(db)).toEqual(
      expect.arrayContaining(['_prisma_migrations', 'workflows', 'workflow_versions', 'instances', 'history_events', 'timers']),
    );

    const rows = db.prepare('SELECT * FROM _prisma_migrations ORDER BY migration_name').all() as Record<string, unknown>[];
    expect(rows.map((row) => row.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      const script = fs.readFileSync(path.join(migrationsDir, String(row.migration_name), 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(script).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row).toMatchObject({ applied_steps_count: 1, logs: null, rolled_back_at: null });
      expect(Number.isInteger(row.started_at)).toBe(true);
      expect(row.finished_at as number).toBeGreaterThanOrEqual(row.started_at as number);
    }
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('applies nothing the second time', () => {
    const file = path.join(tempDir(), 'again.db');
    applyMigrations(openDb(file));
    expect(applyMigrations(openDb(file))).toEqual({ applied: [] });
  });

  it('refuses a database whose recorded checksum differs from the file, naming the migration', () => {
    const db = openDb();
    applyMigrations(db);
    const [first] = migrationNames;
    db.prepare("UPDATE _prisma_migrations SET checksum = 'tampered' WHERE migration_name = ?").run(first);
    expect(() => applyMigrations(db)).toThrow(`Migration ${first} was modified after it was applied`);
  });

  it('rolls a failing migration back entirely and records nothing for it', () => {
    const dir = migrationsWith({ '99990101000000_broken': 'CREATE TABLE "extra" ("id" TEXT);\nNOT SQL;\n' });
    const db = openDb();
    expect(() => applyMigrations(db, { dir })).toThrow(/^Migration 99990101000000_broken failed: /);
    expect(tableNames(db)).not.toContain('extra');
    expect(db.prepare('SELECT migration_name FROM _prisma_migrations').pluck().all()).toEqual(migrationNames);
  });

  it("keeps child rows when a migration rebuilds a parent table the way Prisma's SQLite scripts do", () => {
    const rebuild = [
      'PRAGMA defer_foreign_keys=ON;',
      'PRAGMA foreign_keys=OFF;',
      'CREATE TABLE "new_workflows" ("id" TEXT NOT NULL PRIMARY KEY, "slug" TEXT NOT NULL, "name" TEXT NOT NULL, "draft" TEXT NOT NULL, "draft_rev" INTEGER NOT NULL DEFAULT 0, "active_version" INTEGER, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL);',
      'INSERT INTO "new_workflows" SELECT id, slug, name, draft, draft_rev, active_version, created_at, updated_at FROM "workflows";',
      'DROP TABLE "workflows";',
      'ALTER TABLE "new_workflows" RENAME TO "workflows";',
      'PRAGMA foreign_keys=ON;',
      'PRAGMA defer_foreign_keys=OFF;',
    ].join('\n');
    const dir = migrationsWith({ '99990101000000_rebuild': rebuild });
    const db = openDb();
    applyMigrations(db);
    db.prepare("INSERT INTO workflows (id, slug, name, draft, draft_rev, active_version, created_at, updated_at) VALUES ('w1', 'w', 'W', '{}', 0, NULL, 0, 0)").run();
    db.prepare("INSERT INTO workflow_versions (id, workflow_id, version, graph, graph_hash, note, published_at) VALUES ('v1', 'w1', 1, '{}', 'h', NULL, 0)").run();

    expect(applyMigrations(db, { dir })).toEqual({ applied: ['99990101000000_rebuild'] });
    expect(db.prepare('SELECT count(*) FROM workflow_versions').pluck().get()).toBe(1);
  });
});

describe('createSqlitePrismaClient', () => {
  it('stores DateTime as integer milliseconds and reads them back as the same Date', async () => {
    const file = path.join(tempDir(), 'client.db');
    const db = openDb(file);
    applyMigrations(db);
    const prisma = createSqlitePrismaClient(`file:${file}`);
    try {
      const createdAt = new Date('2026-03-04T05:06:07.089Z');
      await prisma.workflow.create({
        data: { id: 'w1', slug: 'expenses', name: 'Expenses', draft: '{}', createdAt, updatedAt: createdAt },
      });
      expect(db.prepare("SELECT created_at FROM workflows WHERE id = 'w1'").pluck().get()).toBe(createdAt.getTime());

      const rawMs = Date.UTC(2027, 0, 2, 3, 4, 5, 678);
      db.prepare("INSERT INTO workflows (id, slug, name, draft, draft_rev, active_version, created_at, updated_at) VALUES ('w2', 'raw', 'Raw', '{}', 0, NULL, ?, ?)").run(rawMs, rawMs);
      const read = await prisma.workflow.findUniqueOrThrow({ where: { id: 'w2' } });
      expect(read.createdAt).toEqual(new Date(rawMs));
      expect(await prisma.workflow.count({ where: { createdAt: { gt: createdAt } } })).toBe(1);
    } finally {
      await prisma.$disconnect();
    }
  });
});
