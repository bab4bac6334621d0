// A real engine on a real test database (SQLite or PostgreSQL, as the test run is parametrised:
// see server/testing/test-database.ts), with a FakeClock, for tests and benchmarks.
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { Limits } from '../../shared/limits.js';
import { validateGraph } from '../../shared/validate.js';
import { builtinActions } from '../actions/builtin.actions.js';
import { parseAllowList } from '../actions/egress.js';
import { ActionRegistry, type ActionDefinition } from '../actions/registry.js';
import { openEngineDatabase, type PublishedVersion } from '../db/engine-database.js';
import type { SqliteSync } from '../db/sqlite/open.js';
import { createTestDatabase } from './test-database.js';
import { silentLogger, type Logger } from '../logger.js';
import { FakeClock, type Clock } from '../engine/clock.js';
import { createEngine } from '../engine/engine.js';
import type { ModelCaller } from '../engine/runner/action-runner.js';
import { createWorker } from '../engine/runner/worker.js';
import { openDatabaseReader, type DatabaseReader } from './database-reader.js';
import type { z } from 'zod';

// Other test code (the browser tests) still finds the SQLite template here.
export { migratedTemplate, scratchRoot } from './sqlite-template.js';

export interface HarnessOptions {
  actions?: ActionDefinition<z.ZodType, unknown>[];
  clock?: Clock;
  leaseMs?: number;
  limits?: Partial<Limits>;
  sync?: SqliteSync;
  logger?: Logger;
  workerId?: string;
  /** Open this database instead of a fresh one (e.g. a second worker on the same database); it is not dropped on close. */
  databaseUrl?: string;
  /** The model client for AI nodes (e.g. createModelClient against a fake provider). */
  models?: ModelCaller;
  /** CAIRN_HTTP_ALLOW for actions' HTTP: a test that calls a server on 127.0.0.1 names it here. */
  httpAllow?: string[];
  /**
   * Hear other processes' wake-ups (PostgreSQL; default true). Off for a worker that stands for
   * a dead process: a dead process hears nothing.
   */
  listen?: boolean;
}

export async function createHarness(options: HarnessOptions = {}) {
  const owned = options.databaseUrl ? undefined : await createTestDatabase();
  const url = options.databaseUrl ?? owned!.url;
  // A fresh test database is a copy of a migrated one: only a database named by the caller is checked.
  const database = await openEngineDatabase(url, { sync: options.sync ?? 'normal', migrate: owned === undefined, listen: options.listen });
  const store = database.store;
  const clock = options.clock ?? new FakeClock();
  const actions = new ActionRegistry([...builtinActions, ...(options.actions ?? [])]);
  const worker = createWorker({ store, clock, actions, logger: options.logger ?? silentLogger, leaseMs: options.leaseMs, limits: options.limits, workerId: options.workerId, models: options.models, egress: parseAllowList(options.httpAllow) });
  const engine = createEngine({ store, worker, clock });
  await worker.start();
  // The test's own read-only connection for assertions, opened on first use (see database-reader.ts).
  let reader: Promise<DatabaseReader> | undefined;
  const read = () => (reader ??= openDatabaseReader(url));

  return {
    /** The database's URL: give it to a second harness (`databaseUrl`) or another process. */
    url,
    database,
    store,
    clock,
    actions,
    worker,
    engine,
    /** Validate and publish a graph as the next version of `slug`; invalid graphs throw with every problem. */
    async publish(graph: Graph, slug = 'test'): Promise<PublishedVersion> {
      const result = validateGraph(graph, { actions: actions.names() });
      if (!result.ok) throw new Error(`invalid test graph: ${result.problems.map((problem) => problem.message).join('; ')}`);
      return database.publishVersion({ slug, graph, now: clock.now() });
    },
    /** Publish, start one run and drain; returns the run as stored. */
    async run(graph: Graph, input: unknown = {}, slug = 'test') {
      const { versionId } = await this.publish(graph, slug);
      const { id } = await engine.startRun({ versionId, input });
      await worker.drain();
      return engine.getRun(id);
    },
    async historyTypes(runId: string): Promise<string[]> {
      return (await engine.history(runId)).map((event) => (event.nodeId ? `${event.type}:${event.nodeId}` : event.type));
    },
    // Plain SQL both kinds accept, `?` placeholders; counts come back as numbers and times as epoch ms on both.
    /** The first column of the first row (undefined without rows). */
    scalar: async <T = unknown>(sql: string, ...params: unknown[]): Promise<T> => (await read()).scalar<T>(sql, ...params),
    /** A scalar as a number (PostgreSQL returns COUNT as bigint). */
    count: async (sql: string, ...params: unknown[]): Promise<number> => (await read()).count(sql, ...params),
    rows: async <Row = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<Row[]> => (await read()).rows<Row>(sql, ...params),
    async close(): Promise<void> {
      await worker.stop({ graceMs: 0 });
      await (await reader)?.close();
      await database.close();
      await owned?.drop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

/** Wait for a condition on real time (not workflow time): for outcomes that depend on I/O. */
export async function until(condition: () => boolean | Promise<boolean>, { timeoutMs = 10_000, what = 'condition' } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
