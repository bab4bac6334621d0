// A real engine on a real SQLite file in a temp folder, with a FakeClock, for tests and benchmarks.
// Each harness copies a database migrated once per process, which is much faster than migrating.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import type { Limits } from '../../../shared/limits.js';
import { validateGraph } from '../../../shared/validate.js';
import { builtinActions } from '../../actions/builtin.actions.js';
import { ActionRegistry, type ActionDefinition } from '../../actions/registry.js';
import { openSqlite, type SqliteSync } from '../../db/sqlite/open.js';
import { createSqliteEngineStore } from '../../db/sqlite/engine-store.js';
import { publishVersion } from '../../db/sqlite/versions.js';
import { silentLogger, type Logger } from '../../logger.js';
import { FakeClock, type Clock } from '../clock.js';
import { createEngine } from '../engine.js';
import type { EngineStore } from '../store.js';
import type { ModelCaller } from '../action-runner.js';
import { createWorker } from '../worker.js';
import type { z } from 'zod';

let template: string | undefined;

/** Where tests put their files: the test run's own folder (see global-setup.ts), else the OS's. */
export function scratchRoot(): string {
  return process.env.CAIRN_TEST_TMP ?? os.tmpdir();
}

/** A migrated, empty database file made once per process. */
export function migratedTemplate(): string {
  if (!template) {
    const dir = mkdtempSync(path.join(scratchRoot(), 'cairn-template-'));
    template = path.join(dir, 'template.db');
    const db = openSqlite(template);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return template;
}

export interface HarnessOptions {
  actions?: ActionDefinition<z.ZodType, unknown>[];
  clock?: Clock;
  leaseMs?: number;
  limits?: Partial<Limits>;
  sync?: SqliteSync;
  logger?: Logger;
  workerId?: string;
  /** Reuse a database file instead of a fresh copy (e.g. a second worker on the same file). */
  file?: string;
  /** The model client for AI nodes (e.g. createModelClient against a fake provider). */
  models?: ModelCaller;
}

export async function createHarness(options: HarnessOptions = {}) {
  const dir = options.file ? undefined : mkdtempSync(path.join(scratchRoot(), 'cairn-test-'));
  const file = options.file ?? path.join(dir!, 'cairn.db');
  if (!options.file) copyFileSync(migratedTemplate(), file);
  const db: Database.Database = openSqlite(file, { sync: options.sync ?? 'normal' });
  const store: EngineStore = createSqliteEngineStore(db);
  const clock = options.clock ?? new FakeClock();
  const actions = new ActionRegistry([...builtinActions, ...(options.actions ?? [])]);
  const worker = createWorker({ store, clock, actions, logger: options.logger ?? silentLogger, leaseMs: options.leaseMs, limits: options.limits, workerId: options.workerId, models: options.models });
  const engine = createEngine({ store, worker, clock });
  await worker.start();

  return {
    db,
    file,
    store,
    clock,
    actions,
    worker,
    engine,
    /** Validate and publish a graph as the next version of `slug`; invalid graphs throw with every problem. */
    publish(graph: Graph, slug = 'test'): { versionId: string; version: number } {
      const result = validateGraph(graph, { actions: actions.names() });
      if (!result.ok) throw new Error(`invalid test graph: ${result.problems.map((problem) => problem.message).join('; ')}`);
      return publishVersion(db, { slug, graph, now: clock.now() });
    },
    /** Publish, start one run and drain; returns the run as stored. */
    async run(graph: Graph, input: unknown = {}, slug = 'test') {
      const { versionId } = this.publish(graph, slug);
      const { id } = await engine.startRun({ versionId, input });
      await worker.drain();
      return engine.getRun(id);
    },
    async historyTypes(runId: string): Promise<string[]> {
      return (await engine.history(runId)).map((event) => (event.nodeId ? `${event.type}:${event.nodeId}` : event.type));
    },
    async close(): Promise<void> {
      await worker.stop({ graceMs: 0 });
      db.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
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
