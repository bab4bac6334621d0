// The one composition root: it builds a whole Cairn process from its parts — database, engine parts,
// worker, services and HTTP for `cairn start` (createServer), the database and worker alone for
// `cairn worker` (createWorkerProcess) — so that the CLI and the tests assemble them the same way
// (tests pass a FakeClock and port 0). What a worker is made of is said once, in engine-parts.ts: a
// part added there (a team's actions, telemetry) reaches every process that runs runs; the API's
// services are made in services/assemble-services.ts.
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Services } from './api/rest/context.js';
import { serveHttp } from './api/serve.js';
import { LiveEvents } from './api/trpc/events.js';
import { defaultWorkerId } from './config.js';
import { openEngineDatabase } from './db/engine-database.js';
import type { PrismaClient } from './db/generated/sqlite/client.js';
import { createPrismaClient } from './db/prisma-client.js';
import { engineParts, type EngineOptions } from './engine-parts.js';
import { createEngine, type Engine } from './engine/engine.js';
import { createQueuedAdmission } from './engine/runner/queued-admission.js';
import type { Worker } from './engine/runner/worker.js';
import { seedExamples } from './seed/seed.js';
import { assembleServices } from './services/assemble-services.js';
import type { Telemetry } from './telemetry/telemetry.js';
import { serveMetrics } from './telemetry/telemetry-config.js';

export type { EngineOptions };

const defaultWebRoot = fileURLToPath(new URL('../dist/web', import.meta.url));


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
  const { actions, telemetry } = parts;
  const database = await openEngineDatabase(options.databaseUrl, { sync: options.sync, logger, engineLock });
  if (options.worker === false && database.dialect === 'sqlite') {
    await database.close();
    throw new Error('an API process without a worker needs PostgreSQL: on SQLite the one process runs the worker');
  }
  const prisma = await createPrismaClient(options.databaseUrl, { sync: options.sync });

  const { store } = database;
  const worker = options.worker === false ? undefined : parts.worker(database, workerId, logger.child({ component: 'worker' }));
  const engine = createEngine({ store, worker: worker ?? createQueuedAdmission({ store, clock }), clock });
  const { services, bulkRunner, mailer } = assembleServices({ options, parts, database, prisma, engine, worker });
  if (options.seed !== false) await seedExamples(services.workflows, logger, services.scenarios);
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
  services.inbox?.onChange(() => live.tasksChanged());
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
  await mailer?.start(url, (signal) => live.tasks(signal));
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
      await mailer?.stop();
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
