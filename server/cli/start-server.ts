// `cairn start`: the configuration translated for the composition root (server/main.ts).
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { createServer, type CairnServer } from '../main.js';
import { engineOptions, refusedByLock } from './engine-config.js';

export async function startServer(config: Config, options: { worker?: boolean; logger?: Logger } = {}): Promise<CairnServer> {
  const logger = options.logger ?? createLogger({ level: config.CAIRN_LOG_LEVEL });
  return createServer({
    ...(await engineOptions(config, logger)),
    host: config.HOST,
    port: config.PORT,
    adminToken: config.CAIRN_ADMIN_TOKEN,
    workerId: config.CAIRN_WORKER_ID,
    worker: options.worker,
    publicUrl: config.CAIRN_PUBLIC_URL,
    trustProxy: config.CAIRN_TRUST_PROXY,
  }).catch(refusedByLock);
}
