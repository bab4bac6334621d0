// `npm run db:migration -- --name <name>`: writes the next migration folder, in Prisma's own format,
// by driving the WebAssembly schema engine on a throw-away database. The Prisma CLI cannot do it
// here because it downloads a native schema engine at every start.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { JsResult, MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What differs per database. A PostgreSQL entry (own schema file and migrations folder) goes here. */
interface ProviderSetup {
  schema: string;
  migrations: string;
  /** An adapter on a scratch database inside `scratchDir`, which is deleted afterwards. */
  adapter(scratchDir: string): SqlMigrationAwareDriverAdapterFactory;
}

const providers: Record<string, ProviderSetup> = {
  sqlite: {
    schema: 'prisma/schema.prisma',
    migrations: 'prisma/migrations',
    adapter: (scratchDir) => withScriptFallback(new PrismaBetterSqlite3({ url: path.join(scratchDir, 'scratch.db') })),
  },
};

const noFilter: SchemaFilter = { externalTables: [], externalEnums: [] };

// Replaying the history on the shadow database, the engine sends each whole migration script through
// `executeRaw`, which better-sqlite3 prepares as one statement and rejects; those go to `executeScript`.
function withScriptFallback(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const patch = async (connecting: Promise<SqlDriverAdapter>): Promise<SqlDriverAdapter> => {
    const adapter = await connecting;
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      try {
        return await executeRaw(query);
      } catch (error) {
        if (!(error instanceof RangeError && /more than one statement/.test(error.message))) throw error;
        await adapter.executeScript(query.sql);
        return 0;
      }
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => patch(factory.connect()),
    connectToShadowDb: () => patch(factory.connectToShadowDb()),
  };
}

// The package's entry point imports the .wasm file as an ES module, which Node 20 cannot do without
// a flag, so the module is instantiated here against the package's own JS glue.
async function loadSchemaEngine(): Promise<typeof engineBindings.SchemaEngine> {
  const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasm = await WebAssembly.instantiate(readFileSync(glue.replace(/\.js$/, '.wasm')), {
    './schema_engine_bg.js': engineBindings as unknown as WebAssembly.ModuleImports,
  });
  engineBindings.__wbg_set_wasm(wasm.instance.exports);
  (wasm.instance.exports.__wbindgen_start as () => void)();
  return engineBindings.SchemaEngine;
}

/** Reads the migrations folder as the Prisma CLI does: folders in name order, each with migration.sql. */
function listMigrations(baseDir: string): MigrationList {
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  const folders = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)
    : [];
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: folders.sort().map((folder) => ({
      path: folder,
      migrationFile: { path: 'migration.sql', content: readScript(path.join(baseDir, folder, 'migration.sql')) },
    })),
  };
}

// An unreadable script goes to the engine as an error value, as the CLI does; the engine reports it.
function readScript(file: string): JsResult<string, string> {
  try {
    return { tag: 'ok', value: readFileSync(file, 'utf8') };
  } catch (error) {
    return { tag: 'error', value: (error as Error).message };
  }
}

async function createMigration(providerName: string, name: string): Promise<string | null> {
  const setup = providers[providerName];
  if (!setup) throw new Error(`Unknown provider "${providerName}"; known: ${Object.keys(providers).join(', ')}`);
  const schemaPath = path.join(root, setup.schema);
  const baseDir = path.join(root, setup.migrations);
  const schemaFile = { path: schemaPath, content: readFileSync(schemaPath, 'utf8') };
  const migrationsList = listMigrations(baseDir);
  const SchemaEngine = await loadSchemaEngine();
  const scratchDir = mkdtempSync(path.join(os.tmpdir(), 'cairn-migration-'));
  let engine: engineBindings.SchemaEngine | undefined;
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(setup.adapter(scratchDir));
    engine = await SchemaEngine.new({ datamodels: [[schemaFile.path, schemaFile.content]] }, () => {}, adapter);
    // Order matters. applyMigrations replays the history on the scratch database and creates
    // `_prisma_migrations`, without which devDiagnostic fails (P1014); devDiagnostic is what hooks
    // up the adapter's shadow database (in memory on SQLite), without which createMigration fails.
    await engine.applyMigrations({ migrationsList, filters: noFilter });
    const { action } = await engine.devDiagnostic({ migrationsList, filters: noFilter });
    if (action.tag === 'reset') throw new Error(`The migration history does not replay cleanly: ${action.reason}`);
    const created = await engine.createMigration({
      draft: false,
      migrationName: name,
      migrationsList,
      schema: { files: [schemaFile] },
      filters: noFilter,
    });
    if (created.migrationScript === null) return null;
    // Written as the Prisma CLI writes them: the engine names the folder, the CLI owns the files.
    const folder = path.join(baseDir, created.generatedMigrationName);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `migration.${created.extension}`), created.migrationScript);
    writeFileSync(
      path.join(baseDir, 'migration_lock.toml'),
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${created.connectorType}"\n`,
    );
    return path.relative(root, folder);
  } finally {
    engine?.free();
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

try {
  const { values } = parseArgs({ options: { name: { type: 'string' }, provider: { type: 'string', default: 'sqlite' } } });
  if (!values.name || !/^[A-Za-z0-9_]+$/.test(values.name)) {
    throw new Error('usage: npm run db:migration -- --name <name> [--provider sqlite]; the name takes letters, digits and _');
  }
  const created = await createMigration(values.provider, values.name);
  console.log(created ? `Created ${created}/migration.sql` : 'No schema changes: no migration created.');
} catch (error) {
  // The engine's message already names the failing migration; its wasm stack trace adds nothing.
  console.error(`Migration not created: ${(error as Error).message}`);
  process.exit(1);
}
