// The draft_revisions migration on SQLite: a database with workflows from before it gets each
// workflow's current draft as its first kept revision, which the repo then reads like any other.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { applyMigrations } from './migrate.js';
import { createSqlitePrismaClient } from './prisma-client.js';
import { createWorkflowsRepo } from './repos/workflows.repo.js';

const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('keeps every existing draft as its workflow’s first revision, at its revision and time', async () => {
  const dir = fs.mkdtempSync(path.join(process.env.CAIRN_TEST_TMP ?? os.tmpdir(), 'cairn-revisions-migration-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  // The migrations as they were before this one.
  const before = path.join(dir, 'migrations');
  fs.cpSync(migrationsDir, before, { recursive: true });
  const mine = fs.readdirSync(before).find((name) => name.endsWith('_draft_revisions'));
  expect(mine).toBeDefined();
  for (const name of fs.readdirSync(before)) if (name >= mine! && !name.endsWith('.toml')) fs.rmSync(path.join(before, name), { recursive: true });

  const file = path.join(dir, 'cairn.db');
  const db = new Database(file);
  cleanups.push(() => db.close());
  applyMigrations(db, { dir: before });
  const draft = JSON.stringify({ format: 'cairn.graph/v1', nodes: [{ id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} }], edges: [] });
  const insert = db.prepare('INSERT INTO workflows (id, slug, name, draft, draft_rev, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  insert.run('w1', 'old-one', 'Old one', draft, 7, Date.UTC(2026, 0, 1), Date.UTC(2026, 5, 1));
  insert.run('w2', 'old-two', 'Old two', '{"format":"cairn.graph/v1","nodes":[],"edges":[]}', 1, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2));

  expect(applyMigrations(db).applied).toEqual(fs.readdirSync(migrationsDir).filter((name) => name >= mine! && !name.endsWith('.toml')));
  const prisma = createSqlitePrismaClient(file);
  cleanups.push(() => prisma.$disconnect());
  const repo = createWorkflowsRepo(prisma);
  expect(await repo.revisions('w1')).toEqual([{ rev: 7, kind: 'save', restoredFrom: null, savedBy: null, clientId: null, savedAt: new Date(Date.UTC(2026, 5, 1)) }]);
  expect((await repo.revision('w1', 7))?.graph).toBe(draft);
  expect((await repo.revisions('w2')).map((row) => row.rev)).toEqual([1]);

  // The next save is revision 8, on top of the migrated one.
  const saved = await repo.saveDraft('old-one', { name: 'Old one', writes: [{ graph: draft, kind: 'save' }], expectedRev: 7, now: new Date(Date.UTC(2026, 6, 1)), by: 'ada' });
  expect(saved?.draftRev).toBe(8);
  expect((await repo.revisions('w1')).map((row) => [row.rev, row.savedBy])).toEqual([[8, 'ada'], [7, null]]);
});
