// The composition root for `cairn start`: the real clock and the configuration.
import { setExpressionBudget } from '../../shared/expressions.js';
import { setCodeBudget } from '../sandbox/code-sandbox.js';
import { CliError } from './cli-error.js';
import type { Config } from '../config.js';
import { EngineLockError } from '../db/engine-lock.js';
import { systemClock } from '../engine/clock.js';
import { createLogger, type Logger } from '../logger.js';
import { createServer, type CairnServer } from '../main.js';
import { loadTeamActions } from '../actions/team-actions.js';
import { telemetryFromConfig } from '../telemetry/telemetry-config.js';

export async function startServer(
  config: Config,
  options: { worker?: boolean; logger?: Logger } = {},
): Promise<CairnServer> {
  const logger = options.logger ?? createLogger({ level: config.CAIRN_LOG_LEVEL });
  setExpressionBudget({ timeoutMs: config.CAIRN_EXPRESSION_TIMEOUT_MS });
  setCodeBudget({ timeoutMs: config.CAIRN_CODE_TIMEOUT_MS, memoryMb: config.CAIRN_CODE_MEMORY_MB });
  // Another live engine on the file, or on the worker id: one line, no stack (the CLI's exit code 2).
  const refused = (error: unknown) => {
    throw error instanceof EngineLockError ? new CliError(error.message) : error;
  };
  const teamActions = await loadTeamActions(config);
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
    maxSubflowDepth: config.CAIRN_MAX_SUBFLOW_DEPTH,
    publicUrl: config.CAIRN_PUBLIC_URL,
    trustProxy: config.CAIRN_TRUST_PROXY,
    httpAllow: config.CAIRN_HTTP_ALLOW,
    secretKey: config.CAIRN_SECRET_KEY,
    teamActions,
    telemetry: telemetryFromConfig(config),
  }).catch(refused);
}
