// The draft_revisions migration on PostgreSQL: a database with workflows from before it gets each
// workflow's current draft as its first kept revision, which the repo then reads like any other.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { createPostgresPrismaClient } from '../prisma-client.js';
import { createWorkflowsRepo } from '../repos/workflows.repo.js';
import { postgresTestUrl, withPostgresAdmin } from '../../testing/test-database.js';
import { applyPostgresMigrations, postgresMigrationsDir } from './migrate.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('keeps every existing draft as its workflow’s first revision, at its revision and time', async () => {
  const name = `cairn_test_revisions_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await withPostgresAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  cleanups.push(() => withPostgresAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
  const url = postgresTestUrl(name);
  // The migrations as they were before this one.
  const before = fs.mkdtempSync(path.join(process.env.CAIRN_TEST_TMP ?? os.tmpdir(), 'cairn-pg-revisions-'));
  cleanups.push(() => fs.rmSync(before, { recursive: true, force: true }));
  fs.cpSync(postgresMigrationsDir, before, { recursive: true });
  const mine = fs.readdirSync(before).find((entry) => entry.endsWith('_draft_revisions'));
  expect(mine).toBeDefined();
  for (const entry of fs.readdirSync(before)) if (entry >= mine! && !entry.endsWith('.toml')) fs.rmSync(path.join(before, entry), { recursive: true });

  await applyPostgresMigrations(url, { dir: before });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  cleanups.push(() => client.end());
  const draft = JSON.stringify({ format: 'cairn.graph/v1', nodes: [{ id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} }], edges: [] });
  const insert = 'INSERT INTO workflows (id, slug, name, draft, draft_rev, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)';
  await client.query(insert, ['w1', 'old-one', 'Old one', draft, 7, new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2026, 5, 1))]);
  await client.query(insert, ['w2', 'old-two', 'Old two', '{"format":"cairn.graph/v1","nodes":[],"edges":[]}', 1, new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2026, 0, 2))]);

  expect(await applyPostgresMigrations(url)).toContain(mine);
  const prisma = await createPostgresPrismaClient(url);
  cleanups.push(() => prisma.$disconnect());
  const repo = createWorkflowsRepo(prisma, 'postgresql');
  expect(await repo.revisions('w1')).toEqual([{ rev: 7, kind: 'save', restoredFrom: null, savedBy: null, clientId: null, savedAt: new Date(Date.UTC(2026, 5, 1)) }]);
  expect((await repo.revision('w1', 7))?.graph).toBe(draft);
  expect((await repo.revisions('w2')).map((row) => row.rev)).toEqual([1]);

  const saved = await repo.saveDraft('old-one', { name: 'Old one', writes: [{ graph: draft, kind: 'save' }], expectedRev: 7, now: new Date(Date.UTC(2026, 6, 1)), by: 'ada' });
  expect(saved?.draftRev).toBe(8);
  expect((await repo.revisions('w1')).map((row) => [row.rev, row.savedBy])).toEqual([[8, 'ada'], [7, null]]);
});
