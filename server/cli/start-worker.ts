// `cairn worker`: the configuration translated for the composition root (server/main.ts), which
// assembles the engine alone on a PostgreSQL database that API processes and other workers share.
import type { Config } from '../config.js';
import { dialectOf } from '../db/engine-database.js';
import type { Clock } from '../engine/clock.js';
import { createLogger, type Logger } from '../logger.js';
import { createWorkerProcess, type WorkerProcess } from '../main.js';
import { engineOptions, refusedByLock } from './engine-config.js';

export type { WorkerProcess };

export async function startWorkerProcess(config: Config, options: { logger?: Logger; clock?: Clock } = {}): Promise<WorkerProcess> {
  const logger = options.logger ?? createLogger({ level: config.CAIRN_LOG_LEVEL });
  if (dialectOf(config.DATABASE_URL) !== 'postgresql') {
    throw new Error('`cairn worker` needs PostgreSQL (DATABASE_URL=postgresql://…): on SQLite, `cairn start` runs the worker in its one process');
  }
  const engine = await engineOptions(config, logger);
  return createWorkerProcess({
    ...engine,
    clock: options.clock ?? engine.clock,
    workerId: config.CAIRN_WORKER_ID,
    // The supervisor sees a worker that stopped because another process took its id.
    onLockLost: () => {
      process.exitCode = 1;
    },
  }).catch(refusedByLock);
}
