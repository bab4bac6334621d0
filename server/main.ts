// The composition root: builds the real clock, database, engine, worker and HTTP server from the
// configuration. Everything else receives its dependencies.
import { fileURLToPath } from 'node:url';
import { builtinActions } from './actions/builtin.actions.js';
import { ActionRegistry } from './actions/registry.js';
import { createModelClient } from './ai/model-client.js';
import type { Config } from './config.js';
import { createSqliteEngineStore } from './db/sqlite/engine-store.js';
import { openSqlite } from './db/sqlite/open.js';
import { createApp } from './http/app.js';
import { createLogger, type Logger } from './logger.js';
import { systemClock } from './engine/clock.js';
import { createWorker } from './engine/worker.js';

const webRoot = fileURLToPath(new URL('../dist/web', import.meta.url));

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger = createLogger({ level: config.CAIRN_LOG_LEVEL })): Promise<RunningServer> {
  const db = openSqlite(config.DATABASE_URL, { sync: config.CAIRN_SQLITE_SYNC });
  const store = createSqliteEngineStore(db);
  const actions = new ActionRegistry(builtinActions);
  const models = createModelClient(config.ai);
  const worker = createWorker({ store, clock: systemClock, actions, models, logger: logger.child({ component: 'worker' }) });
  await worker.start();
  const app = await createApp({ webRoot });
  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  return {
    url,
    async close() {
      await app.close();
      await worker.stop();
      db.close();
    },
  };
}
