// What `cairn start` and `cairn worker` take from the configuration alike, said once: the budgets of
// user code (process-wide), the team's actions (loaded before the database opens, so a module that
// cannot load stops start-up before anything is claimed) and the engine's settings. A refusal by
// the engine lock becomes one line without a stack (the CLI's exit code 2).
import { setExpressionBudget } from '../../shared/expressions.js';
import { loadTeamActions } from '../actions/team-actions.js';
import type { Config } from '../config.js';
import { EngineLockError } from '../db/engine-lock.js';
import { systemClock } from '../engine/clock.js';
import type { Logger } from '../logger.js';
import type { EngineOptions } from '../main.js';
import { setCodeBudget } from '../sandbox/code-sandbox.js';
import { telemetryFromConfig } from '../telemetry/telemetry-config.js';
import { CliError } from './cli-error.js';

export async function engineOptions(config: Config, logger: Logger): Promise<EngineOptions> {
  setExpressionBudget({ timeoutMs: config.CAIRN_EXPRESSION_TIMEOUT_MS });
  setCodeBudget({ timeoutMs: config.CAIRN_CODE_TIMEOUT_MS, memoryMb: config.CAIRN_CODE_MEMORY_MB });
  return {
    databaseUrl: config.DATABASE_URL,
    clock: systemClock,
    logger,
    sync: config.CAIRN_SQLITE_SYNC,
    ai: config.ai,
    leaseMs: config.CAIRN_LEASE_MS,
    maxSubflowDepth: config.CAIRN_MAX_SUBFLOW_DEPTH,
    httpAllow: config.CAIRN_HTTP_ALLOW,
    secretKey: config.CAIRN_SECRET_KEY,
    publicUrl: config.CAIRN_PUBLIC_URL,
    mail: config.CAIRN_SMTP_URL ? { url: config.CAIRN_SMTP_URL, from: config.CAIRN_MAIL_FROM } : undefined,
    teamActions: await loadTeamActions(config),
    telemetry: telemetryFromConfig(config),
  };
}

/** Another live engine on the file, or on the worker id. */
export function refusedByLock(error: unknown): never {
  throw error instanceof EngineLockError ? new CliError(error.message) : error;
}
