// An operator's controls for the API: pause and resume a run, a queued run's place in its queue,
// and a workflow's concurrency limit (raising or clearing it admits queued runs at once).
import { ApiError } from '../errors.js';
import type { PrismaClient } from '../db/generated/sqlite/client.js';
import type { WorkflowsRepo } from '../db/repos/workflows.repo.js';
import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import type { RunOperations } from '../engine/operations.js';
import type { EngineStore } from '../engine/store.js';

/** The most runs a workflow may allow in flight: a limit above it is refused as a mistake. */
export const MAX_CONCURRENCY_LIMIT = 100_000;

export function createOperationsService(deps: { engine: Engine; operations: RunOperations; store: EngineStore; workflows: WorkflowsRepo; prisma: PrismaClient; clock: Clock; poke(): void }) {
  const { engine, operations, store, workflows, prisma } = deps;

  async function workflowOf(slug: string) {
    const workflow = await workflows.find(slug);
    if (!workflow) throw new ApiError('NOT_FOUND', `no workflow "${slug}"`);
    return workflow;
  }

  return {
    pause: (id: string, options: { by: string; reason?: string }) => operations.pause(id, options),
    resume: (id: string, options: { by: string }) => operations.resume(id, options),

    /** 1 for the next queued run of its workflow to be admitted; null when the run is not queued. */
    async queuePosition(id: string): Promise<number | null> {
      const run = await engine.getRun(id);
      if (run.status !== 'queued') return null;
      return 1 + (await prisma.instance.count({ where: { workflowId: run.workflowId, status: 'queued', id: { lt: run.id } } }));
    },

    async concurrency(slug: string) {
      const workflow = await workflowOf(slug);
      const row = await prisma.workflow.findUnique({ where: { id: workflow.id }, select: { concurrencyLimit: true } });
      const [inFlight, queued] = await Promise.all([
        prisma.instance.count({ where: { workflowId: workflow.id, status: { in: ['pending', 'running', 'waiting', 'paused'] } } }),
        prisma.instance.count({ where: { workflowId: workflow.id, status: 'queued' } }),
      ]);
      return { workflow: slug, limit: row?.concurrencyLimit ?? null, inFlight, queued };
    },

    async setConcurrency(slug: string, limit: unknown) {
      if (limit !== null && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_CONCURRENCY_LIMIT)) {
        throw new ApiError('BAD_REQUEST', `limit must be a whole number from 1 to ${MAX_CONCURRENCY_LIMIT.toLocaleString('en')}, or null for no limit; got ${JSON.stringify(limit) ?? String(limit)}`);
      }
      const workflow = await workflowOf(slug);
      await prisma.workflow.update({ where: { id: workflow.id }, data: { concurrencyLimit: limit } });
      // A higher limit (or none) has room for queued runs now.
      if ((await store.admitQueued(workflow.id, deps.clock.now())).length > 0) deps.poke();
      return this.concurrency(slug);
    },
  };
}

export type OperationsService = ReturnType<typeof createOperationsService>;
