// The composition root for `cairn worker`: the engine alone — claims, steps, timers — on a
// PostgreSQL database that API processes and other workers share. No HTTP, no Prisma.
import { setExpressionBudget } from '../../shared/expressions.js';
import { credentialsKey, credentialSource } from '../credentials/credentials-setup.js';
import { setCodeBudget } from '../sandbox/code-sandbox.js';
import { parseAllowList } from '../actions/egress.js';
import { createActionRegistry, loadTeamActions } from '../actions/team-actions.js';
import { createModelClient } from '../ai/model-client.js';
import type { Config } from '../config.js';
import { CliError } from './cli-error.js';
import { dialectOf, openEngineDatabase } from '../db/engine-database.js';
import { EngineLockError } from '../db/engine-lock.js';
import { systemClock, type Clock } from '../engine/clock.js';
import { createWorker, type Worker } from '../engine/runner/worker.js';
import { createScheduleFirer } from '../triggers/schedule-firer.js';
import { createLogger, type Logger } from '../logger.js';

export interface WorkerProcess {
  worker: Worker;
  close(): Promise<void>;
}

export async function startWorkerProcess(
  config: Config,
  options: { logger?: Logger; clock?: Clock } = {},
): Promise<WorkerProcess> {
  const logger = options.logger ?? createLogger({ level: config.CAIRN_LOG_LEVEL });
  setExpressionBudget({ timeoutMs: config.CAIRN_EXPRESSION_TIMEOUT_MS });
  setCodeBudget({ timeoutMs: config.CAIRN_CODE_TIMEOUT_MS, memoryMb: config.CAIRN_CODE_MEMORY_MB });
  const secretKey = credentialsKey({ secretKey: config.CAIRN_SECRET_KEY, databaseUrl: config.DATABASE_URL });
  if (dialectOf(config.DATABASE_URL) !== 'postgresql') {
    throw new Error('`cairn worker` needs PostgreSQL (DATABASE_URL=postgresql://…): on SQLite, `cairn start` runs the worker in its one process');
  }
  // Before the database: a module that cannot load stops the worker before it claims anything.
  const team = await loadTeamActions(config);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await worker.stop();
      await database.close();
    })());
  // No other live process may work under this id (see db/engine-lock.ts); if one took it while the
  // lock's connection was lost, this process stops and exits non-zero, for its supervisor to see.
  const engineLock = {
    workerId: config.CAIRN_WORKER_ID,
    onLost: (error: Error) => {
      logger.error('the worker stops: another process now holds its id', { error: error.message });
      process.exitCode = 1;
      void close();
    },
  };
  const database = await openEngineDatabase(config.DATABASE_URL, { logger, engineLock }).catch((error: unknown) => {
    throw error instanceof EngineLockError ? new CliError(error.message) : error;
  });
  const worker = createWorker({
    store: database.store,
    clock: options.clock ?? systemClock,
    actions: createActionRegistry({ team }),
    workerId: config.CAIRN_WORKER_ID,
    leaseMs: config.CAIRN_LEASE_MS,
    limits: { subflowDepth: config.CAIRN_MAX_SUBFLOW_DEPTH },
    egress: parseAllowList(config.CAIRN_HTTP_ALLOW),
    models: createModelClient(config.ai),
    credentials: credentialSource(secretKey, database),
    logger: logger.child({ component: 'worker', worker: config.CAIRN_WORKER_ID }),
    schedules: createScheduleFirer({ database, logger }),
  });
  await worker.start();
  return { worker, close };
}
