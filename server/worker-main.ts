// The composition root for `cairn worker`: the engine alone — claims, steps, timers — on a
// PostgreSQL database that API processes and other workers share. No HTTP, no Prisma.
import { builtinActions } from './actions/builtin.actions.js';
import { parseAllowList } from './actions/egress.js';
import { ActionRegistry } from './actions/registry.js';
import { createModelClient } from './ai/model-client.js';
import type { Config } from './config.js';
import { openEngineDatabase } from './db/engine-database.js';
import { systemClock, type Clock } from './engine/clock.js';
import { createWorker, type Worker } from './engine/worker.js';
import { createLogger, type Logger } from './logger.js';

export interface WorkerProcess {
  worker: Worker;
  close(): Promise<void>;
}

export async function startWorkerProcess(
  config: Config,
  options: { logger?: Logger; clock?: Clock } = {},
): Promise<WorkerProcess> {
  const logger = options.logger ?? createLogger({ level: config.CAIRN_LOG_LEVEL });
  const database = await openEngineDatabase(config.DATABASE_URL, { logger });
  if (database.dialect !== 'postgresql') {
    await database.close();
    throw new Error('`cairn worker` needs PostgreSQL (DATABASE_URL=postgresql://…): on SQLite, `cairn start` runs the worker in its one process');
  }
  const worker = createWorker({
    store: database.store,
    clock: options.clock ?? systemClock,
    actions: new ActionRegistry(builtinActions),
    workerId: config.CAIRN_WORKER_ID,
    leaseMs: config.CAIRN_LEASE_MS,
    egress: parseAllowList(config.CAIRN_HTTP_ALLOW),
    models: createModelClient(config.ai),
    logger: logger.child({ component: 'worker', worker: config.CAIRN_WORKER_ID }),
  });
  await worker.start();
  return {
    worker,
    async close() {
      await worker.stop();
      await database.close();
    },
  };
}
