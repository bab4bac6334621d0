// The `cairn` command line: start, migrate and run. Bad input prints a clear message and exit code 2.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { dialectOf } from '../db/engine-database.js';
import { DatabaseFileError, describeOpenError } from '../db/sqlite/file-check.js';
import { openSqlite, sqlitePath } from '../db/sqlite/open.js';
import { applyMigrations } from '../db/migrate.js';
import { startServer } from './start-server.js';
import { startWorkerProcess } from './start-worker.js';
import { CliError } from './cli-error.js';
import { ActionLoadError } from '../actions/loader.js';
import { actionsCommand } from './actions.command.js';
import { isRemoteVerb, remoteCommand } from './remote.command.js';
import { runCommand } from './run.command.js';
import { testCommand } from './test.command.js';
import { EVAL_USAGE, evalCli } from './eval.command.js';
import { AUDIT_USAGE, auditCli } from './audit.command.js';
import { createTokenCommand, exportCommand, importCommand } from './workflow-files.command.js';

const USAGE = `usage: cairn <command>

  start [--no-worker]                   migrate the database, run a worker and serve the app
                                        (--no-worker: the API only; PostgreSQL)
  worker                                run the engine only, sharing a PostgreSQL database
  migrate                               apply pending database migrations
  token create --role R [--name N]      create an API token (admin, editor or approver); printed once
  export <slug> [--version N] [-o f]    write a workflow's draft (or a version) as graph JSON
  import <file> [--slug S] [--publish]  save a graph file as a workflow's draft (and publish it)
  run <graph.json> [--input '<json>']   run a graph locally to its end or first wait; print its history
      [--db <file>]                     keep the run in this SQLite file instead of a temporary one
  test [paths…] [--junit <file>]        run scenario files (folders: *.scenario(s).json) on a virtual
      [--require-coverage]              clock; fail unless every node and edge is reached
${EVAL_USAGE}
${AUDIT_USAGE}
  actions                               list the team's actions (CAIRN_ACTIONS_DIR, default ./actions)
  status <run> [--json]                 a run on a server: its status, waits, error and output
  signal <run> <name> [--data '<json>'] deliver a signal to a run
  cancel <run> [--reason R]             cancel a run
      (status, signal, cancel: --url or CAIRN_URL, default http://127.0.0.1:3000; --token or CAIRN_TOKEN)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (isRemoteVerb(command)) return remoteCommand(command, rest, { print: (line) => console.log(line) });
  switch (command) {
    case 'actions':
      return actionsCommand(loadConfig(), (line) => console.log(line));
    case 'start': {
      const { values } = parseArgs({ args: rest, options: { 'no-worker': { type: 'boolean', default: false } } });
      const config = loadConfig();
      if (values['no-worker'] && dialectOf(config.DATABASE_URL) === 'sqlite') {
        throw new CliError('start --no-worker needs PostgreSQL (DATABASE_URL=postgresql://…): on SQLite the one process runs the worker');
      }
      const server = await startServer(config, { worker: !values['no-worker'] });
      console.log(`Cairn is serving on ${server.url}${server.worker ? '' : ' (API only: start workers with `cairn worker`)'}`);
      const shutdown = () => void server.close().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      return -1;
    }
    case 'worker': {
      const config = loadConfig();
      if (dialectOf(config.DATABASE_URL) === 'sqlite') {
        throw new CliError('worker needs PostgreSQL (DATABASE_URL=postgresql://…): on SQLite, `cairn start` runs the worker in its one process');
      }
      const worker = await startWorkerProcess(config);
      console.log(`Cairn worker ${worker.worker.id} is running`);
      const shutdown = () => void worker.close().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      return -1;
    }
    case 'migrate': {
      const config = loadConfig();
      let applied: string[];
      if (dialectOf(config.DATABASE_URL) === 'postgresql') {
        // Loaded only here: a SQLite process never loads the pg driver.
        const { applyPostgresMigrations } = await import('../db/postgres/migrate.js');
        applied = await applyPostgresMigrations(config.DATABASE_URL);
      } else {
        const db = openSqlite(config.DATABASE_URL, { migrate: false });
        try {
          applied = applyMigrations(db).applied;
        } catch (error) {
          throw describeOpenError(sqlitePath(config.DATABASE_URL), error);
        } finally {
          db.close();
        }
      }
      console.log(applied.length ? `applied ${applied.join(', ')}` : 'the database is up to date');
      return 0;
    }
    case 'run': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { input: { type: 'string' }, db: { type: 'string' } } });
      if (positionals.length !== 1) throw new CliError(`run takes one graph file\n\n${USAGE}`);
      return runCommand({ graphFile: positionals[0], input: values.input, db: values.db, out: (line) => console.log(line) });
    }
    case 'test': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { junit: { type: 'string' }, 'require-coverage': { type: 'boolean', default: false } } });
      const config = loadConfig();
      return testCommand({ paths: positionals, junit: values.junit, requireCoverage: values['require-coverage'] ?? false, httpAllow: config.CAIRN_HTTP_ALLOW, expressionTimeoutMs: config.CAIRN_EXPRESSION_TIMEOUT_MS, out: (line) => console.log(line) });
    }
    case 'eval':
      return evalCli(rest, loadConfig, (line) => console.log(line));
    case 'audit':
      return auditCli(rest, loadConfig, (line) => console.log(line));
    case 'token': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { role: { type: 'string' }, name: { type: 'string' } } });
      if (positionals[0] !== 'create') throw new CliError(`usage: cairn token create --role admin|editor|approver`);
      await createTokenCommand(loadConfig(), { role: values.role, name: values.name, print: (line) => console.log(line) });
      return 0;
    }
    case 'export': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { version: { type: 'string' }, out: { type: 'string', short: 'o' } } });
      if (positionals.length !== 1) throw new CliError(`export takes one workflow slug\n\n${USAGE}`);
      const version = values.version === undefined ? undefined : Number(values.version);
      if (version !== undefined && (!Number.isInteger(version) || version < 1)) throw new CliError(`--version must be a version number, not "${values.version}"`);
      await exportCommand(loadConfig(), { slug: positionals[0], version, out: values.out, print: (text) => console.log(text) });
      return 0;
    }
    case 'import': {
      const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { slug: { type: 'string' }, name: { type: 'string' }, publish: { type: 'boolean', default: false } } });
      if (positionals.length !== 1) throw new CliError(`import takes one graph file\n\n${USAGE}`);
      await importCommand(loadConfig(), { file: positionals[0], slug: values.slug, name: values.name, publish: values.publish ?? false, print: (line) => console.log(line) });
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return 0;
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    // A database file that cannot be used is the user's to fix: one line naming it, no stack.
    const known = error instanceof CliError || error instanceof ConfigError || error instanceof ActionLoadError || error instanceof DatabaseFileError || (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));
    console.error(known ? `cairn: ${(error as Error).message}` : error);
    process.exit(known ? 2 : 1);
  },
);
