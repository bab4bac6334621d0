// Where scenarios run: the real engine and worker (public API only: openEngineDatabase, createWorker,
// createEngine) on a throw-away SQLite file per scenario, copied from one migrated template per
// sandbox folder, with the scenario's virtual clock, actions and model answers.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { EgressPolicy } from '../actions/egress.js';
import type { ActionRegistry } from '../actions/registry.js';
import { openEngineDatabase } from '../db/engine-database.js';
import { openSqlite } from '../db/sqlite/open.js';
import { createEngine, type Engine } from '../engine/engine.js';
import type { ModelCaller } from '../engine/runner/action-runner.js';
import { createWorker, type Worker } from '../engine/runner/worker.js';
import { silentLogger } from '../logger.js';
import type { VirtualClock } from './virtual-clock.js';

/** A folder for scenario databases with a migrated template in it; `dispose` removes it all. */
export class SandboxFolder {
  readonly dir: string;
  private template: string | undefined;
  private count = 0;

  constructor(root = os.tmpdir()) {
    this.dir = mkdtempSync(path.join(root, 'cairn-test-'));
  }

  /** A fresh, migrated database file of its own. */
  newDatabase(): string {
    if (!this.template) {
      this.template = path.join(this.dir, 'template.db');
      const db = openSqlite(this.template);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    }
    const file = path.join(this.dir, `scenario-${++this.count}.db`);
    copyFileSync(this.template, file);
    return file;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * One worker holds the sandbox, so nothing needs its leases to lapse; a lease renewed every third of
 * a normal lease would be a clock callback every 10 s of workflow time, 60,000 stops in a week.
 */
const SANDBOX_LEASE_MS = 3_000 * 365 * 86_400_000;

export interface Sandbox {
  engine: Engine;
  worker: Worker;
  clock: VirtualClock;
  versionId: string;
  close(): Promise<void>;
}

export interface SandboxOptions {
  folder: SandboxFolder;
  graph: Graph;
  slug: string;
  clock: VirtualClock;
  actions: ActionRegistry;
  models: ModelCaller;
  egress: EgressPolicy;
}

/** Opens the database, starts a worker on the virtual clock and publishes the graph as version 1. */
export async function openSandbox(options: SandboxOptions): Promise<Sandbox> {
  const file = options.folder.newDatabase();
  const database = await openEngineDatabase(`file:${file}`, { sync: 'normal', migrate: false });
  const { clock } = options;
  const worker = createWorker({ store: database.store, clock, actions: options.actions, logger: silentLogger, models: options.models, egress: options.egress, leaseMs: SANDBOX_LEASE_MS });
  const engine = createEngine({ store: database.store, worker, clock });
  const close = async () => {
    await worker.stop({ graceMs: 0 });
    await database.close();
    rmSync(file, { force: true });
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
  };
  try {
    await worker.start();
    const { versionId } = await database.publishVersion({ slug: options.slug, graph: options.graph, now: clock.now() });
    return { engine, worker, clock, versionId, close };
  } catch (error) {
    await close();
    throw error;
  }
}
