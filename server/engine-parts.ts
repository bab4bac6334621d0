// What every process that runs runs is made of (`cairn start`, `cairn worker`, tests), said once:
// a part added here (a team's actions, telemetry, schedules) reaches every such process. The
// composition root (main.ts) calls it; nothing else should.
import type { z } from 'zod';
import { parseAllowList } from './actions/egress.js';
import type { LoadedAction } from './actions/loader.js';
import type { ActionDefinition } from './actions/registry.js';
import type { MailSettings } from './actions/email.action.js';
import { createActionRegistry } from './actions/team-actions.js';
import { createModelClient, type ModelConfig } from './ai/model-client.js';
import { callbacksSetup } from './callbacks/callbacks-setup.js';
import { credentialsKey, credentialSource } from './credentials/credentials-setup.js';
import type { EngineDatabase } from './db/engine-database.js';
import type { SqliteSync } from './db/sqlite/open.js';
import type { Clock } from './engine/clock.js';
import { createWorker, type Worker } from './engine/runner/worker.js';
import type { Logger } from './logger.js';
import { createTelemetry } from './telemetry/telemetry.js';
import type { TelemetryConfig } from './telemetry/telemetry-config.js';
import { createScheduleFirer } from './triggers/schedule-firer.js';

/** What every process that runs runs is made with (`cairn start`, `cairn worker`, tests). */
export interface EngineOptions {
  databaseUrl: string;
  clock: Clock;
  logger: Logger;
  sync?: SqliteSync;
  ai?: ModelConfig;
  /** How long a claim on a run lasts unless renewed (default 30 s). */
  leaseMs?: number;
  /** CAIRN_MAX_SUBFLOW_DEPTH: how deep sub-workflows nest (default 10). */
  maxSubflowDepth?: number;
  /** CAIRN_HTTP_ALLOW: hosts, IPs and CIDRs actions may reach although internal (default: none). */
  httpAllow?: readonly string[];
  /** Extra actions (tests register theirs). */
  actions?: ActionDefinition<z.ZodType, unknown>[];
  /** The team's actions, loaded from CAIRN_ACTIONS_DIR (server/actions/team-actions.ts). */
  teamActions?: readonly LoadedAction[];
  /** CAIRN_SECRET_KEY: the credentials key; without it, on SQLite, a key file beside the database. */
  secretKey?: string;
  /** OTEL_* tracing and CAIRN_METRICS_* (server/telemetry/); without it, metrics only, nothing exported. */
  telemetry?: TelemetryConfig;
  /** CAIRN_PUBLIC_URL: also where callback URLs point (server/callbacks/). */
  publicUrl?: string;
  /** CAIRN_SMTP_URL and CAIRN_MAIL_FROM, for email.send; without them nothing is sent (server/actions/email.action.ts). */
  mail?: MailSettings;
}

/**
 * The engine's parts, made once per process: the action registry (built-ins, the team's, tests'),
 * the egress rule, the credentials key (checked first: a bad CAIRN_SECRET_KEY stops start-up before
 * anything opens), telemetry, and the worker with its model client, credential source and observer.
 */
export function engineParts(options: EngineOptions) {
  const actions = createActionRegistry({ extra: options.actions, team: options.teamActions, mail: options.mail });
  const egress = parseAllowList(options.httpAllow);
  const secretKey = credentialsKey({ secretKey: options.secretKey, databaseUrl: options.databaseUrl });
  const telemetry = createTelemetry({ tracing: options.telemetry?.tracing, logger: options.logger });
  const callbacks = callbacksSetup({ secretKey, publicUrl: options.publicUrl });
  const worker = (database: EngineDatabase, workerId: string | undefined, logger: Logger): Worker =>
    createWorker({
      store: database.store,
      clock: options.clock,
      actions,
      workerId,
      leaseMs: options.leaseMs,
      limits: options.maxSubflowDepth ? { subflowDepth: options.maxSubflowDepth } : undefined,
      egress,
      models: createModelClient(options.ai ?? { models: {} }),
      credentials: credentialSource(secretKey, database),
      logger,
      observer: telemetry.observe(database.store),
      callbackUrl: callbacks.callbackUrl,
      schedules: createScheduleFirer({ database, logger }),
    });
  return { actions, egress, secretKey, worker, telemetry, callbacks };
}
