// `npm run db:generate` (also run by `postinstall`): `prisma generate` without network access.
// The CLI downloads a native schema engine at start unless PRISMA_SCHEMA_ENGINE_BINARY names an
// existing file; generate never runs that engine, so any file will do.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '../..');

let cli: string;
try {
  cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
} catch {
  console.error('prisma generate: the `prisma` package is not installed (it is a devDependency).');
  process.exit(1);
}

// Set for this child only: with the variable set, `prisma migrate` exits 0 having done nothing.
const result = spawnSync(process.execPath, [cli, 'generate', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: self },
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
