// The composition root for `cairn start`: the real clock and the configuration.
import type { Config } from './config.js';
import { systemClock } from './engine/clock.js';
import { createLogger, type Logger } from './logger.js';
import { createServer, type CairnServer } from './server.js';

export async function startServer(
  config: Config,
  options: { worker?: boolean; logger?: Logger } = {},
): Promise<CairnServer> {
  const logger = options.logger ?? createLogger({ level: config.CAIRN_LOG_LEVEL });
  return createServer({
    databaseUrl: config.DATABASE_URL,
    host: config.HOST,
    port: config.PORT,
    clock: systemClock,
    logger,
    sync: config.CAIRN_SQLITE_SYNC,
    adminToken: config.CAIRN_ADMIN_TOKEN,
    ai: config.ai,
    workerId: config.CAIRN_WORKER_ID,
    worker: options.worker,
    leaseMs: config.CAIRN_LEASE_MS,
    publicUrl: config.CAIRN_PUBLIC_URL,
    trustProxy: config.CAIRN_TRUST_PROXY,
    httpAllow: config.CAIRN_HTTP_ALLOW,
  });
}
