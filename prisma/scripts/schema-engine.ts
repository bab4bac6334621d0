// Drives Prisma's WebAssembly schema engine on a throw-away database of either kind, for
// create-migration.ts (writes the next migration) and prisma/schemas.test.ts (checks that none is
// due). The Prisma CLI cannot do this here: it downloads a native schema engine at every start.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { CreateMigrationOutput, JsResult, MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the PostgreSQL scratch and shadow databases are made: any cluster's admin URL. */
export const MIGRATION_POSTGRES_ENV = 'CAIRN_MIGRATION_POSTGRES_URL';

export type ProviderName = 'sqlite' | 'postgresql';

/** A scratch database for the engine, and how to get rid of it. */
interface Scratch {
  factory: SqlMigrationAwareDriverAdapterFactory;
  remove(): Promise<void>;
}

export interface PlanOptions {
  /** The cluster for PostgreSQL's scratch databases (default: the CAIRN_MIGRATION_POSTGRES_URL variable). */
  postgresAdminUrl?: string;
}

interface ProviderSetup {
  schema: string;
  migrations: string;
  scratch(options: PlanOptions): Promise<Scratch>;
}

export const providers: Record<ProviderName, ProviderSetup> = {
  sqlite: { schema: 'prisma/schema.prisma', migrations: 'prisma/migrations', scratch: sqliteScratch },
  postgresql: {
    schema: 'prisma/postgresql/schema.prisma',
    migrations: 'prisma/postgresql/migrations',
    scratch: (options) => postgresScratch(options.postgresAdminUrl ?? process.env[MIGRATION_POSTGRES_ENV]),
  },
};

export function isProviderName(name: string): name is ProviderName {
  return Object.hasOwn(providers, name);
}

const noFilter: SchemaFilter = { externalTables: [], externalEnums: [] };

async function sqliteScratch(): Promise<Scratch> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-migration-'));
  return {
    factory: withScriptFallback(new PrismaBetterSqlite3({ url: path.join(dir, 'scratch.db') })),
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

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

/**
 * A scratch database on the cluster at `adminUrl`, with a factory that works around three traps of
 * @prisma/adapter-pg 7.10 under the schema engine: its shadow database is derived by overriding
 * `database` in the pool config, which a connection string silently wins over (so discrete fields
 * are given); it drops the shadow database before closing the pool still connected to it (so the
 * shadow database is made and dropped here); and it rejects the `"char"` columns (oid 18) of the
 * catalogue queries the engine introspects with (so they are read as text).
 */
async function postgresScratch(adminUrl: string | undefined): Promise<Scratch> {
  if (!adminUrl) {
    throw new Error(
      `${MIGRATION_POSTGRES_ENV} is not set: PostgreSQL migrations are made on a throw-away database on a cluster you name, ` +
        `e.g. ${MIGRATION_POSTGRES_ENV}=postgresql://postgres@127.0.0.1:5432/postgres (scripts/postgres.sh start DIR prints one)`,
    );
  }
  const admin = discreteConfig(adminUrl);
  const created: string[] = [];
  const adapters: SqlDriverAdapter[] = [];
  const createDatabase = async (prefix: string): Promise<string> => {
    const name = `${prefix}_${randomUUID().replaceAll('-', '')}`;
    await withClient(admin, (client) => client.query(`CREATE DATABASE "${name}"`));
    created.push(name);
    return name;
  };
  const dropDatabase = (name: string) => withClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  const connect = async (database: string): Promise<SqlDriverAdapter> => {
    const adapter = readCharAsText(await new PrismaPg({ ...admin, database }).connect());
    // The engine disposes some adapters itself and not others; ending a pool twice throws.
    const dispose = adapter.dispose.bind(adapter);
    let disposing: Promise<void> | undefined;
    adapter.dispose = () => (disposing ??= dispose());
    adapters.push(adapter);
    return adapter;
  };

  const main = await createDatabase('cairn_migration_scratch');
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connect(main),
    async connectToShadowDb() {
      const shadow = await createDatabase('cairn_migration_shadow');
      const adapter = await connect(shadow);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await dropDatabase(shadow);
      };
      return adapter;
    },
  };
  return {
    factory,
    async remove() {
      await Promise.all(adapters.map((adapter) => adapter.dispose()));
      for (const name of created) await dropDatabase(name);
    },
  };
}

function discreteConfig(url: string): pg.ClientConfig {
  const parsed = new URL(url);
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error(`${MIGRATION_POSTGRES_ENV} must be a postgresql:// URL`);
  return {
    host: decodeURIComponent(parsed.hostname),
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || 'postgres',
  };
}

async function withClient<T>(config: pg.ClientConfig, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const CHAR_OID = 18;
const TEXT_OID = 25;

type PerformIO = (query: unknown) => Promise<pg.QueryArrayResult>;

// Patches the adapter's private `performIO` (pinned 7.10.0) on the connection and on each transaction.
function readCharAsText<T extends object>(queryable: T): T {
  const target = queryable as T & { performIO: PerformIO; startTransaction?: (...args: unknown[]) => Promise<object> };
  const performIO = target.performIO.bind(target);
  target.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    return result;
  };
  const startTransaction = target.startTransaction?.bind(target);
  if (startTransaction) target.startTransaction = async (...args) => readCharAsText(await startTransaction(...args));
  return queryable;
}

let engineClass: Promise<typeof engineBindings.SchemaEngine> | undefined;

// The package's entry point imports the .wasm file as an ES module, which Node 20 cannot do without
// a flag, so the module is instantiated here against the package's own JS glue (once per process).
function loadSchemaEngine(): Promise<typeof engineBindings.SchemaEngine> {
  engineClass ??= (async () => {
    const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasm = await WebAssembly.instantiate(readFileSync(glue.replace(/\.js$/, '.wasm')), {
      './schema_engine_bg.js': engineBindings as unknown as WebAssembly.ModuleImports,
    });
    engineBindings.__wbg_set_wasm(wasm.instance.exports);
    (wasm.instance.exports.__wbindgen_start as () => void)();
    return engineBindings.SchemaEngine;
  })();
  return engineClass;
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

export interface PlannedMigration extends CreateMigrationOutput {
  /** The provider's migrations folder, absolute. */
  baseDir: string;
}

/**
 * The migration that would take the provider's migration history to its schema, computed on a
 * scratch database (nothing is written to the repository). `migrationScript` is null when the
 * history is up to date.
 */
export async function planMigration(provider: ProviderName, name: string, options: PlanOptions = {}): Promise<PlannedMigration> {
  const setup = providers[provider];
  const schemaPath = path.join(root, setup.schema);
  const baseDir = path.join(root, setup.migrations);
  const schemaFile = { path: schemaPath, content: readFileSync(schemaPath, 'utf8') };
  const migrationsList = listMigrations(baseDir);
  const SchemaEngine = await loadSchemaEngine();
  const scratch = await setup.scratch(options);
  let engine: engineBindings.SchemaEngine | undefined;
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(scratch.factory);
    engine = await SchemaEngine.new({ datamodels: [[schemaFile.path, schemaFile.content]] }, () => {}, adapter);
    // Order matters. applyMigrations replays the history on the scratch database and creates
    // `_prisma_migrations`, without which devDiagnostic fails (P1014); devDiagnostic is what hooks
    // up the adapter's shadow database, without which createMigration fails.
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
    return { ...created, baseDir };
  } finally {
    engine?.free();
    await scratch.remove();
  }
}
