// `npm run db:generate` (also run by `postinstall`): derives the PostgreSQL schema from the SQLite
// one, then runs `prisma generate` for both without network access. The CLI downloads a native
// schema engine at start unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file; generate never
// runs that engine, so any file will do.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresSchemaPath, sqliteSchemaPath, writePostgresSchema } from './derive-postgres-schema.js';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '../..');

let cli: string;
try {
  cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
} catch {
  console.error('prisma generate: the `prisma` package is not installed (it is a devDependency).');
  process.exit(1);
}

if (writePostgresSchema()) console.log(`Wrote ${path.relative(root, postgresSchemaPath)} from prisma/schema.prisma`);

for (const schema of [sqliteSchemaPath, postgresSchemaPath]) {
  // Set for this child only: with the variable set, `prisma migrate` exits 0 having done nothing.
  const args = [cli, 'generate', `--schema=${path.relative(root, schema)}`, ...process.argv.slice(2)];
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: self },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}
