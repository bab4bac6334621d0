// Writes prisma/postgresql/schema.prisma from prisma/schema.prisma, the one source of the data model:
// the copy differs only in the datasource `provider` and the generator `output` (plus a header).
// Run by `npm run db:generate`; prisma/schemas.test.ts fails when the checked-in copy has drifted.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const sqliteSchemaPath = path.join(root, 'prisma/schema.prisma');
export const postgresSchemaPath = path.join(root, 'prisma/postgresql/schema.prisma');

export const generatedHeader = [
  '// GENERATED from prisma/schema.prisma by prisma/scripts/derive-postgres-schema.ts (npm run db:generate).',
  '// Do not edit: change prisma/schema.prisma and regenerate. Only `provider` and `output` differ.',
  '',
  '',
].join('\n');

/** Replaces the one match of `pattern` in `text`, refusing when there is not exactly one. */
function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const matches = text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`)) ?? [];
  if (matches.length !== 1) {
    throw new Error(`prisma/schema.prisma: expected exactly one ${what}, found ${matches.length}`);
  }
  return text.replace(pattern, replacement);
}

/** The PostgreSQL schema for the given SQLite schema text. Pure, so the drift test can call it. */
export function derivePostgresSchema(sqliteSchema: string): string {
  let schema = replaceOnce(
    sqliteSchema,
    /^(\s*provider\s*=\s*)"sqlite"/m,
    '$1"postgresql"',
    'datasource `provider = "sqlite"`',
  );
  // The copy sits one folder deeper, so its relative output gains a `../`.
  schema = replaceOnce(
    schema,
    /^(\s*output\s*=\s*)"\.\.\/server\/db\/generated\/sqlite"/m,
    '$1"../../server/db/generated/postgresql"',
    'generator `output = "../server/db/generated/sqlite"`',
  );
  return generatedHeader + schema;
}

/** Writes the derived schema; returns whether the file changed. */
export function writePostgresSchema(): boolean {
  const derived = derivePostgresSchema(readFileSync(sqliteSchemaPath, 'utf8'));
  let current: string | null = null;
  try {
    current = readFileSync(postgresSchemaPath, 'utf8');
  } catch {
    // Not written yet.
  }
  if (current === derived) return false;
  mkdirSync(path.dirname(postgresSchemaPath), { recursive: true });
  writeFileSync(postgresSchemaPath, derived);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const changed = writePostgresSchema();
  console.log(`${path.relative(root, postgresSchemaPath)} ${changed ? 'written' : 'already up to date'}`);
}
