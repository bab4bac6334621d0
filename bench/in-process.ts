// Cairn in-process as the users' scenarios (issue 21) run it: the engine database, the worker and the
// engine made by the same parts as `cairn start` (server/engine-parts.ts: metrics observer, schedule
// firer, callbacks, credentials) with the system clock and default leases, plus the scenario's
// action. Completions are heard from the worker's checkpoint notices, as an embedding caller would.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import type { Graph } from '../shared/graph/graph.schema.js';
import { validateGraph } from '../shared/validate.js';
import type { ActionDefinition } from '../server/actions/registry.js';
import { openEngineDatabase, type EngineDatabase } from '../server/db/engine-database.js';
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { engineParts } from '../server/engine-parts.js';
import { systemClock } from '../server/engine/clock.js';
import { createEngine, type Engine } from '../server/engine/engine.js';
import type { Worker } from '../server/engine/runner/worker.js';
import { silentLogger } from '../server/logger.js';

export interface InProcessCairn {
  database: EngineDatabase;
  worker: Worker;
  engine: Engine;
  /** Validate and publish `graph` as the next version of `slug`. */
  publish(graph: Graph, slug: string): Promise<string>;
  /** Resolves with performance.now() when `count` runs have reached `completed` (counted from now). */
  completions(count: number): Promise<number>;
  close(): Promise<void>;
}

/** A fresh folder for a scenario's database file (removed by the caller). */
export function scenarioFolder(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-users-'));
}

export async function openInProcess(options: { databaseUrl: string; sync?: SqliteSync; actions?: ActionDefinition<z.ZodType, unknown>[]; leaseMs?: number }): Promise<InProcessCairn> {
  const parts = engineParts({ databaseUrl: options.databaseUrl, clock: systemClock, logger: silentLogger, sync: options.sync, actions: options.actions, leaseMs: options.leaseMs });
  const database = await openEngineDatabase(options.databaseUrl, { sync: options.sync, logger: silentLogger });
  const worker = parts.worker(database, undefined, silentLogger);
  const engine = createEngine({ store: database.store, worker, clock: systemClock });
  await worker.start();
  return {
    database,
    worker,
    engine,
    async publish(graph, slug) {
      const checked = validateGraph(graph, { actions: parts.actions.names() });
      if (!checked.ok) throw new Error(`invalid benchmark graph: ${checked.problems.map((problem) => problem.message).join('; ')}`);
      return (await database.publishVersion({ slug, graph, now: systemClock.now() })).versionId;
    },
    completions(count) {
      return new Promise((resolve) => {
        let completed = 0;
        const stop = worker.onCheckpoint((notice) => {
          if (notice.status !== 'completed' || ++completed < count) return;
          stop();
          resolve(performance.now());
        });
      });
    },
    async close() {
      await worker.stop();
      await parts.telemetry.close();
      await database.close();
    },
  };
}
