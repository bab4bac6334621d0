// CI's drift checks: prisma/postgresql/schema.prisma is exactly the derivation of prisma/schema.prisma,
// and the SQLite migrations take an empty database to that schema (PostgreSQL's are checked in
// server/db/postgres/migrate.test.ts, which runs where a cluster is at hand).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { derivePostgresSchema, generatedHeader, postgresSchemaPath, sqliteSchemaPath } from './scripts/derive-postgres-schema.js';
import { planMigration, providers } from './scripts/schema-engine.js';

const read = (file: string): string => readFileSync(file, 'utf8');

describe('prisma/postgresql/schema.prisma', () => {
  it('is the derivation of prisma/schema.prisma (run `npm run db:generate` after editing that one)', () => {
    expect(read(postgresSchemaPath)).toBe(derivePostgresSchema(read(sqliteSchemaPath)));
  });

  it('differs from it only in the provider, the output and its generated-file header', () => {
    const sqlite = read(sqliteSchemaPath).split('\n');
    const derived = read(postgresSchemaPath);
    expect(derived.startsWith(generatedHeader)).toBe(true);
    const postgres = derived.slice(generatedHeader.length).split('\n');
    expect(postgres).toHaveLength(sqlite.length);
    const changed = postgres.flatMap((line, index) => (line === sqlite[index] ? [] : [[sqlite[index], line]]));
    expect(changed).toEqual([
      ['  output   = "../server/db/generated/sqlite"', '  output   = "../../server/db/generated/postgresql"'],
      ['  provider = "sqlite"', '  provider = "postgresql"'],
    ]);
  });

  it('refuses a source schema it cannot derive from', () => {
    expect(() => derivePostgresSchema('datasource db {\n  provider = "mysql"\n}\n')).toThrow(/expected exactly one datasource/);
  });
});

describe('migration folders', () => {
  it.each(Object.entries(providers))('%s: migration_lock.toml names its provider', (name, setup) => {
    const lockfile = fileURLToPath(new URL(`../${setup.migrations}/migration_lock.toml`, import.meta.url));
    expect(read(lockfile)).toMatch(new RegExp(`^provider = "${name}"$`, 'm'));
  });

  it('sqlite: the migrations are up to date with the schema (else `npm run db:migration -- --name …`)', async () => {
    const planned = await planMigration('sqlite', 'drift_check');
    expect(planned.migrationScript).toBeNull();
  });
});
