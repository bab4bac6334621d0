// Builds a whole Cairn server — database, engine, worker, services and HTTP — from its parts, so
// that main.ts and the tests assemble it the same way (tests pass a FakeClock and port 0).
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { parseAllowList } from './actions/egress.js';
import type { LoadedAction } from './actions/loader.js';
import type { ActionDefinition } from './actions/registry.js';
import { createActionRegistry } from './actions/team-actions.js';
import { createModelClient, type ModelConfig } from './ai/model-client.js';
import { credentialsKey, credentialSource, credentialsService } from './credentials/credentials-setup.js';
import { openEngineDatabase } from './db/engine-database.js';
import type { PrismaClient } from './db/generated/sqlite/client.js';
import { createPrismaClient } from './db/prisma-client.js';
import { createAccountsRepo } from './db/repos/accounts.repo.js';
import { createWorkflowsRepo } from './db/repos/workflows.repo.js';
import { createScenariosRepo } from './db/repos/scenarios.repo.js';
import type { SqliteSync } from './db/sqlite/open.js';
import { defaultWorkerId } from './config.js';
import type { Clock } from './engine/clock.js';
import { createEngine, type Engine } from './engine/engine.js';
import { createQueuedAdmission } from './engine/runner/queued-admission.js';
import { createWorker, type Worker } from './engine/runner/worker.js';
import { createTriggersRepo } from './db/repos/triggers.repo.js';
import { createScheduleFirer } from './triggers/schedule-firer.js';
import { createTriggersService } from './triggers/triggers.service.js';
import { createApp } from './api/http-app.js';
import type { Services } from './api/rest/context.js';
import type { Logger } from './logger.js';
import { seedExamples } from './seed/seed.js';
import { createAccountsService } from './services/accounts.service.js';
import { createApprovalsService } from './services/approvals.service.js';
import { createRunsService } from './services/runs.service.js';
import { createWorkflowsService } from './services/workflows.service.js';
import { createScenariosService } from './services/scenarios.service.js';
import { createRunOperations } from './engine/operations.js';
import { createBulkJobsRepo } from './db/repos/bulk-jobs.repo.js';
import { createBulkActionsService } from './services/bulk-actions.service.js';
import { createBulkJobRunner } from './services/bulk-job-runner.js';
import { createOperationsService } from './services/operations.service.js';
import { createEvalsService } from './ai/evals/evals.service.js';
import { createDescribeService } from './ai/describe/describe.service.js';
import { createEvalsRepo } from './db/repos/evals.repo.js';
import { createTelemetry, type Telemetry } from './telemetry/telemetry.js';
import { serveMetrics, type TelemetryConfig } from './telemetry/telemetry-config.js';
import type { z } from 'zod';
import type { TRPCError } from '@trpc/server';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import { LiveEvents } from './api/trpc/events.js';
import { registerLiveSocket } from './api/trpc/live-socket.js';
import { appRouter, type AppRouter } from './api/trpc/router.js';
import { contextFactory } from './api/trpc/trpc.js';

const defaultWebRoot = fileURLToPath(new URL('../dist/web', import.meta.url));

export interface ServerOptions {
  databaseUrl: string;
  host: string;
  port: number;
  clock: Clock;
  logger: Logger;
  sync?: SqliteSync;
  adminToken?: string;
  ai?: ModelConfig;
  sessionTtlMs?: number;
  seed?: boolean;
  /** CAIRN_WORKER_ID; one unique to this process when absent. No other live process may hold it. */
  workerId?: string;
  /**
   * Run a worker in this process (default). Without one (PostgreSQL only) new runs wait, pending,
   * for a `cairn worker` process to take them.
   */
  worker?: boolean;
  /** How long a claim on a run lasts unless renewed (default 30 s). */
  leaseMs?: number;
  /** CAIRN_MAX_SUBFLOW_DEPTH: how deep sub-workflows nest (default 10). */
  maxSubflowDepth?: number;
  /** CAIRN_HTTP_ALLOW: hosts, IPs and CIDRs actions may reach although internal (default: none). */
  httpAllow?: readonly string[];
  /** CAIRN_PUBLIC_URL (https: Secure cookies, HSTS) and CAIRN_TRUST_PROXY, for the HTTP app. */
  publicUrl?: string;
  trustProxy?: readonly string[];
  /** Extra actions (tests register theirs). */
  actions?: ActionDefinition<z.ZodType, unknown>[];
  /** The team's actions, loaded from CAIRN_ACTIONS_DIR (server/actions/team-actions.ts). */
  teamActions?: readonly LoadedAction[];
  webRoot?: string;
  /** Requests a minute one webhook takes (default 600); benchmarks raise it. */
  webhookRateLimit?: number;
  /** The shortest gap a schedule may have between ticks (default a minute); tests of many ticks lower it. */
  scheduleMinIntervalMs?: number;
  /** CAIRN_SECRET_KEY: the credentials key; without it, on SQLite, a key file beside the database. */
  secretKey?: string;
  /** OTEL_* tracing and CAIRN_METRICS_* (server/telemetry/); without it, metrics only, nothing exported. */
  telemetry?: TelemetryConfig;
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
  const secretKey = credentialsKey({ secretKey: options.secretKey, databaseUrl: options.databaseUrl });
  const database = await openEngineDatabase(options.databaseUrl, { sync: options.sync, logger, engineLock });
  if (options.worker === false && database.dialect === 'sqlite') {
    await database.close();
    throw new Error('an API process without a worker needs PostgreSQL: on SQLite the one process runs the worker');
  }
  const prisma = await createPrismaClient(options.databaseUrl, { sync: options.sync });

  const { store } = database;
  const actions = createActionRegistry({ extra: options.actions, team: options.teamActions });
  const telemetry = createTelemetry({ tracing: options.telemetry?.tracing, logger });
  const worker =
    options.worker === false
      ? undefined
      : createWorker({ store, clock, actions, workerId, leaseMs: options.leaseMs, limits: options.maxSubflowDepth ? { subflowDepth: options.maxSubflowDepth } : undefined, egress: parseAllowList(options.httpAllow), models: createModelClient(options.ai ?? { models: {} }), credentials: credentialSource(secretKey, database), logger: logger.child({ component: 'worker' }), observer: telemetry.observe(store), schedules: createScheduleFirer({ database, logger }) });
  const engine = createEngine({ store, worker: worker ?? createQueuedAdmission({ store, clock }), clock });
  const workflowsRepo = createWorkflowsRepo(prisma, database.dialect);
  const scenarios = createScenariosService({ repo: createScenariosRepo(prisma), actions, egress: parseAllowList(options.httpAllow), clock });
  const models = createModelClient(options.ai ?? { models: {} });
  const evals = createEvalsService({ repo: createEvalsRepo(prisma), models, actions, clock });
  const services: Services = {
    workflows: createWorkflowsService({ repo: workflowsRepo, actions, clock, scenarios: scenarios.hooks, evals: evals.hooks }),
    scenarios,
    evals,
    runs: createRunsService({ engine, workflows: workflowsRepo, prisma }),
    approvals: createApprovalsService({ engine }),
    accounts: createAccountsService({ repo: createAccountsRepo(prisma), clock, adminToken: options.adminToken, sessionTtlMs: options.sessionTtlMs }),
    credentials: credentialsService(secretKey, prisma, clock),
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
  const app = await createApp({
    metrics: metrics.route,
    services,
    logger,
    webRoot: options.webRoot ?? defaultWebRoot,
    publicUrl: options.publicUrl,
    trustProxy: options.trustProxy,
    webhookRateLimit: options.webhookRateLimit,
    extend: async (fastify) => {
      const onError = ({ error, path }: { error: TRPCError; path?: string }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') logger.error('trpc call failed', { path, error: String(error.cause?.stack ?? error) });
      };
      await fastify.register(fastifyTRPCPlugin, {
        prefix: '/trpc',
        trpcOptions: {
          router: appRouter,
          createContext: contextFactory({ services, actions, live }),
          onError,
        } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
      });
      // The web app's subscriptions: one WebSocket per page at /trpc (SSE stays for other clients).
      await registerLiveSocket(fastify, { router: appRouter, deps: { services, actions, live }, publicUrl: options.publicUrl, onError });
    },
  });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
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
