// Vitest global setup, run once per test project (sqlite, postgresql) in the main process.
// - One temp folder for the whole test run, removed at the end. Fork workers can end without
//   Node's `exit` event, so per-process clean-up alone would leave folders behind.
// - For the postgresql project: the cluster at CAIRN_TEST_POSTGRES_URL (CI starts one), or a
//   throw-away cluster started here; and the migrated template each test database is copied from.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyPostgresMigrations } from '../db/postgres/migrate.js';
import { postgresTestUrl, withPostgresAdmin } from './test-database.js';

const clusterScript = path.resolve(import.meta.dirname, '../../scripts/postgres.sh');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: (() => void | Promise<void>)[] = [];
  if (!process.env.CAIRN_TEST_TMP) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-tests-'));
    process.env.CAIRN_TEST_TMP = dir;
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  }
  // Both PostgreSQL projects (postgresql, scale-out) share one cluster and template per run.
  if (project.config.env?.CAIRN_TEST_DATABASE === 'postgresql' && !process.env.CAIRN_TEST_POSTGRES_TEMPLATE) {
    if (!process.env.CAIRN_TEST_POSTGRES_URL) {
      // Test data need not survive power loss: fsync off makes databases quick to create.
      const clusterDir = mkdtempSync(path.join(os.tmpdir(), 'cairn-test-pg-'));
      const url = execFileSync('bash', [clusterScript, 'start', clusterDir, 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off'], { encoding: 'utf8' }).trim();
      process.env.CAIRN_TEST_POSTGRES_URL = url;
      cleanups.push(() => {
        execFileSync('bash', [clusterScript, 'stop', clusterDir]);
        delete process.env.CAIRN_TEST_POSTGRES_URL;
      });
    }
    const template = `cairn_template_${process.pid}`;
    process.env.CAIRN_TEST_POSTGRES_TEMPLATE = template;
    await withPostgresAdmin(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${template}`);
    });
    await applyPostgresMigrations(postgresTestUrl(template));
    cleanups.push(async () => {
      await withPostgresAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
      delete process.env.CAIRN_TEST_POSTGRES_TEMPLATE;
    });
  }
  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}
