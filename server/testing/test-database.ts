// A fresh, migrated database for one test, of the kind the test run is parametrised with:
// CAIRN_TEST_DATABASE=sqlite (default) copies a migrated file into a temp folder;
// CAIRN_TEST_DATABASE=postgresql creates a database from the migrated template that the global
// set-up made (server/testing/global-setup.ts) on the cluster at CAIRN_TEST_POSTGRES_URL.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Dialect } from '../db/engine-database.js';
import { migratedTemplate, scratchRoot } from './sqlite-template.js';

export interface TestDatabase {
  dialect: Dialect;
  url: string;
  drop(): Promise<void>;
}

export function testDialect(): Dialect {
  const kind = process.env.CAIRN_TEST_DATABASE ?? 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgresql') throw new Error(`CAIRN_TEST_DATABASE must be sqlite or postgresql, not "${kind}"`);
  return kind;
}

/** The URL of a database on the test cluster (the admin database when `name` is absent). */
export function postgresTestUrl(name?: string): string {
  const admin = process.env.CAIRN_TEST_POSTGRES_URL;
  if (!admin) throw new Error('CAIRN_TEST_POSTGRES_URL is not set: the PostgreSQL tests run under the global set-up (npm test)');
  const url = new URL(admin);
  if (name) url.pathname = `/${name}`;
  return url.toString();
}

/** The migrated database each test database is copied from; one per test run, so that runs
 * sharing a cluster do not drop each other's (the global setup names it). */
export function postgresTemplate(): string {
  const name = process.env.CAIRN_TEST_POSTGRES_TEMPLATE;
  if (!name) throw new Error('CAIRN_TEST_POSTGRES_TEMPLATE is not set: the PostgreSQL tests run under the global set-up (npm test)');
  return name;
}

/** Run `work` with a connection to the cluster's admin database. */
export async function withPostgresAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresTestUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(dialect: Dialect = testDialect()): Promise<TestDatabase> {
  if (dialect === 'postgresql') {
    const name = `cairn_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    await withPostgresAdmin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${postgresTemplate()}`));
    return {
      dialect,
      url: postgresTestUrl(name),
      drop: () => withPostgresAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
    };
  }
  const dir = mkdtempSync(path.join(scratchRoot(), 'cairn-test-'));
  const file = path.join(dir, 'cairn.db');
  copyFileSync(migratedTemplate(), file);
  return {
    dialect,
    url: `file:${file}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
