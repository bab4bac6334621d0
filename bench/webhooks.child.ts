// The server the webhook benchmark loads: createServer as `cairn start` builds it (system clock,
// worker in the process, the given sync mode), with the per-webhook rate limit raised out of the way
// (the limit is what a flood meets; the benchmark measures what an allowed sender gets).
// Usage: webhooks.child <database-url> <sync> <admin-token>; prints "serving on <url>".
import { systemClock } from '../server/engine/clock.js';
import { createLogger } from '../server/logger.js';
import { createServer } from '../server/main.js';
import type { SqliteSync } from '../server/db/sqlite/open.js';

const [databaseUrl, sync, adminToken] = process.argv.slice(2);
const server = await createServer({
  databaseUrl,
  sync: sync as SqliteSync,
  adminToken,
  host: '127.0.0.1',
  port: 0,
  clock: systemClock,
  logger: createLogger({ level: 'warn' }),
  seed: false,
  webhookRateLimit: 10_000_000,
});
console.log(`serving on ${server.url}`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
