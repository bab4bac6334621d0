// The one composition root: it builds a whole Cairn process from its parts — database, engine parts,
// worker, services and HTTP for `cairn start` (createServer), the database and worker alone for
// `cairn worker` (createWorkerProcess) — so that the CLI and the tests assemble them the same way
// (tests pass a FakeClock and port 0). What a worker is made of is said once, in engineParts: a
// part added there (a team's actions, telemetry) reaches every process that runs runs.
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { parseAllowList } from './actions/egress.js';
import type { LoadedAction } from './actions/loader.js';
import type { ActionDefinition } from './actions/registry.js';
import type { MailSettings } from './actions/email.action.js';
import { createActionRegistry } from './actions/team-actions.js';
import { createModelClient, type ModelConfig } from './ai/model-client.js';
import type { Services } from './api/rest/context.js';
import { serveHttp } from './api/serve.js';
import { LiveEvents } from './api/trpc/events.js';
import { defaultWorkerId } from './config.js';
import { callbacksSetup } from './callbacks/callbacks-setup.js';
import { credentialsKey, credentialSource, credentialsService } from './credentials/credentials-setup.js';
import { openEngineDatabase, type EngineDatabase } from './db/engine-database.js';
import type { PrismaClient } from './db/generated/sqlite/client.js';
import { createPrismaClient } from './db/prisma-client.js';
import { createAccountsRepo } from './db/repos/accounts.repo.js';
import { createScenariosRepo } from './db/repos/scenarios.repo.js';
import { createWorkflowsRepo } from './db/repos/workflows.repo.js';
import type { SqliteSync } from './db/sqlite/open.js';
import type { Clock } from './engine/clock.js';
import { createEngine, type Engine } from './engine/engine.js';
import { createQueuedAdmission } from './engine/runner/queued-admission.js';
import { createWorker, type Worker } from './engine/runner/worker.js';
import { createTriggersRepo } from './db/repos/triggers.repo.js';
import { createScheduleFirer } from './triggers/schedule-firer.js';
import { createTriggersService } from './triggers/triggers.service.js';
import type { Logger } from './logger.js';
import { seedExamples } from './seed/seed.js';
import { createAccountsService } from './services/accounts.service.js';
import { createApprovalsService } from './services/approvals.service.js';
import { createDelegationsService } from './services/delegations.service.js';
import { createRunsService } from './services/runs.service.js';
import { createScenariosService } from './services/scenarios.service.js';
import { createRunOperations } from './engine/operations.js';
import { createBulkJobsRepo } from './db/repos/bulk-jobs.repo.js';
import { createBulkActionsService } from './services/bulk-actions.service.js';
import { createBulkJobRunner } from './services/bulk-job-runner.js';
import { createOperationsService } from './services/operations.service.js';
import { createEvalsService } from './ai/evals/evals.service.js';
import { createDescribeService } from './ai/describe/describe.service.js';
import { createEvalsRepo } from './db/repos/evals.repo.js';
import { createWorkflowsService } from './services/workflows.service.js';
import { createTelemetry, type Telemetry } from './telemetry/telemetry.js';
import { serveMetrics, type TelemetryConfig } from './telemetry/telemetry-config.js';

const defaultWebRoot = fileURLToPath(new URL('../dist/web', import.meta.url));

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

export interface ServerOptions extends EngineOptions {
  host: string;
  port: number;
  adminToken?: string;
  sessionTtlMs?: number;
  seed?: boolean;
  /** CAIRN_WORKER_ID; one unique to this process when absent. No other live process may hold it. */
  workerId?: string;
  /**
   * Run a worker in this process (default). Without one (PostgreSQL only) new runs wait, pending,
   * for a `cairn worker` process to take them.
   */
  worker?: boolean;
  /** CAIRN_PUBLIC_URL (https: Secure cookies, HSTS) and CAIRN_TRUST_PROXY, for the HTTP app. */
  publicUrl?: string;
  trustProxy?: readonly string[];
  webRoot?: string;
  /** Requests a minute one webhook takes (default 600); benchmarks raise it. */
  webhookRateLimit?: number;
  /** The shortest gap a schedule may have between ticks (default a minute); tests of many ticks lower it. */
  scheduleMinIntervalMs?: number;
}

export interface CairnServer {
  url: string;
  app: FastifyInstance;
  engine: Engine;
  /** Absent when this process serves the API only. */
  worker?: Worker;
  services: Services;
  prisma: PrismaClient;
  telemetry: Telemetry;
  /** The metrics port's /metrics URL, when one is configured. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/**
 * The engine's parts, made once per process: the action registry (built-ins, the team's, tests'),
 * the egress rule, the credentials key (checked first: a bad CAIRN_SECRET_KEY stops start-up before
 * anything opens), telemetry, and the worker with its model client, credential source and observer.
 */
function engineParts(options: EngineOptions) {
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

export async function createServer(options: ServerOptions): Promise<CairnServer> {
  const { clock, logger } = options;
  // A process with a worker holds the engine lock (one engine per SQLite file, one live process per
  // worker id on PostgreSQL) from before its worker exists until the database closes.
  const workerId = options.worker === false ? undefined : (options.workerId ?? defaultWorkerId());
  const engineLock = workerId === undefined ? undefined : {
    workerId,
    onLost: (error: Error) => {
      logger.error('the worker stops: its id is no longer this process\'s to use; restart the process', { error: error.message });
      void worker?.stop();
    },
  };
  const parts = engineParts(options);
  const { actions, egress, secretKey, telemetry } = parts;
  const database = await openEngineDatabase(options.databaseUrl, { sync: options.sync, logger, engineLock });
  if (options.worker === false && database.dialect === 'sqlite') {
    await database.close();
    throw new Error('an API process without a worker needs PostgreSQL: on SQLite the one process runs the worker');
  }
  const prisma = await createPrismaClient(options.databaseUrl, { sync: options.sync });

  const { store } = database;
  const worker = options.worker === false ? undefined : parts.worker(database, workerId, logger.child({ component: 'worker' }));
  const engine = createEngine({ store, worker: worker ?? createQueuedAdmission({ store, clock }), clock });
  const workflowsRepo = createWorkflowsRepo(prisma, database.dialect);
  const scenarios = createScenariosService({ repo: createScenariosRepo(prisma), actions, egress, clock });
  const models = createModelClient(options.ai ?? { models: {} });
  const evals = createEvalsService({ repo: createEvalsRepo(prisma), models, actions, clock });
  const delegations = createDelegationsService({ database, clock });
  const services: Services = {
    workflows: createWorkflowsService({ repo: workflowsRepo, actions, clock, scenarios: scenarios.hooks, evals: evals.hooks }),
    scenarios,
    evals,
    runs: createRunsService({ engine, workflows: workflowsRepo, prisma }),
    approvals: createApprovalsService({ engine, approver: (principal) => delegations.approver(principal) }),
    delegations,
    accounts: createAccountsService({ repo: createAccountsRepo(prisma), clock, adminToken: options.adminToken, sessionTtlMs: options.sessionTtlMs }),
    credentials: credentialsService(secretKey, prisma, clock),
    callbacks: parts.callbacks.service({ engine, database, clock }),
  };
  // An operator's controls (issue 18): pause/resume, queues, bulk jobs done in batches here.
  const operations = createRunOperations({ store, worker: worker ?? { poke() {} }, clock });
  const poke = () => worker?.poke();
  services.operations = createOperationsService({ engine, operations, store, workflows: workflowsRepo, prisma, clock, poke });
  const bulkRepo = createBulkJobsRepo(prisma);
  const bulkRunner = createBulkJobRunner({ repo: bulkRepo, service: { runFilter: (filter) => services.bulk!.runFilter(filter) }, engine, operations, clock, logger: logger.child({ component: 'bulk-jobs' }) });
  services.bulk = createBulkActionsService({ repo: bulkRepo, workflows: workflowsRepo, clock, kick: () => bulkRunner.kick() });
  const triggersRepo = createTriggersRepo(prisma, database.dialect);
  // A schedule's new next tick: this process's worker looks again; on PostgreSQL every worker hears it.
  const wakeForTick = (at: number) =>
    database.dialect === 'postgresql' ? void triggersRepo.notifyWorkers(at).catch((error: unknown) => logger.error('waking workers for a schedule failed', { error: String(error) })) : poke();
  services.triggers = createTriggersService({ repo: triggersRepo, key: secretKey, clock, runs: services.runs, wake: wakeForTick, minIntervalMs: options.scheduleMinIntervalMs });
  services.describe = createDescribeService({ models, config: options.ai ?? { models: {} }, actions, workflows: services.workflows, scenarios });
  if (options.seed !== false) await seedExamples(services.workflows, logger);
  await worker?.start();
  bulkRunner.start();

  const live = new LiveEvents();
  worker?.onCheckpoint((notice) => {
    live.runChanged({ instanceId: notice.instanceId, status: notice.status, rev: notice.rev });
    if (notice.tasksChanged) live.tasksChanged();
  });
  // A decision changes inboxes at once, whichever API (tRPC, REST) took it.
  engine.onNotice((notice) => {
    if (notice.type === 'taskDecided') live.tasksChanged();
  });
  // Runs this process's worker does not hold (another process's worker moves them) reach live pages too.
  const stopHearingChanges = await database.subscribeChanges?.((changes) => {
    for (const run of changes.runs) live.runChanged(run);
    if (changes.tasks) live.tasksChanged();
  });
  const metrics = await serveMetrics(telemetry, { ...options.telemetry, host: options.host, clock, prisma });
  services.monitor = metrics.feed;
  const { app, url } = await serveHttp({
    metrics: metrics.route,
    services,
    actions,
    live,
    logger,
    webRoot: options.webRoot ?? defaultWebRoot,
    publicUrl: options.publicUrl,
    trustProxy: options.trustProxy,
    webhookRateLimit: options.webhookRateLimit,
    host: options.host,
    port: options.port,
  });
  parts.callbacks.listening(url);
  return {
    url,
    app,
    engine,
    worker,
    services,
    prisma,
    telemetry,
    metricsUrl: metrics.url,
    async close() {
      await app.close();
      await bulkRunner.stop();
      await metrics.close();
      await stopHearingChanges?.();
      await worker?.stop();
      await telemetry.close();
      await prisma.$disconnect();
      await database.close();
    },
  };
}

export interface WorkerProcessOptions extends EngineOptions {
  /** CAIRN_WORKER_ID: no other live process may work under it (see db/engine-lock.ts). */
  workerId: string;
  /** The id was lost to another process (its lock's connection dropped meanwhile); the worker has stopped. */
  onLockLost?: (error: Error) => void;
  /** Where CAIRN_METRICS_PORT listens (HOST). */
  metricsHost?: string;
}

export interface WorkerProcess {
  worker: Worker;
  close(): Promise<void>;
}

/** `cairn worker`: the engine alone — claims, steps, timers — on a database other processes share. No HTTP, no Prisma. */
export async function createWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const { logger, workerId } = options;
  const parts = engineParts(options);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await worker.stop();
      await parts.telemetry.close();
      await metrics?.close();
      await database.close();
    })());
  const engineLock = {
    workerId,
    onLost: (error: Error) => {
      logger.error('the worker stops: another process now holds its id', { error: error.message });
      options.onLockLost?.(error);
      void close();
    },
  };
  const database = await openEngineDatabase(options.databaseUrl, { sync: options.sync, logger, engineLock });
  const worker = parts.worker(database, workerId, logger.child({ component: 'worker', worker: workerId }));
  // A worker process has no API port: its counters are served on CAIRN_METRICS_PORT, if set.
  const metrics = options.telemetry?.metricsPort === undefined ? undefined : await serveMetrics(parts.telemetry, { ...options.telemetry, host: options.metricsHost ?? '127.0.0.1', clock: options.clock });
  await worker.start();
  return { worker, close };
}
