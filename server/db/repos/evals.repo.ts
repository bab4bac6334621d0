// Eval sets stored with a workflow's draft (one row per ai node), the frozen copy in each published
// version, and the runs of them (score and report per run, on the draft or a version). Prisma, so it
// works on SQLite and PostgreSQL alike.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../prisma-client.js';

export interface StoredEvalSet {
  nodeId: string;
  /** The set as JSON text, without its node id. */
  definition: string;
}

export interface NewEvalRun {
  workflowId: string;
  version: number | null;
  graphHash: string;
  score: number;
  results: string;
  origin: string;
  ranBy?: string;
  ranAt: Date;
}

export function createEvalsRepo(prisma: PrismaClient) {
  return {
    workflow: (slug: string) => prisma.workflow.findUnique({ where: { slug }, select: { id: true, slug: true, draft: true, activeVersion: true } }),
    list: (workflowId: string): Promise<StoredEvalSet[]> => prisma.workflowEvalSet.findMany({ where: { workflowId }, orderBy: { nodeId: 'asc' }, select: { nodeId: true, definition: true } }),
    /** Create or replace one node's set; returns whether it was created. */
    put: async (workflowId: string, set: StoredEvalSet, now: Date): Promise<boolean> => {
      const { count } = await prisma.workflowEvalSet.updateMany({ where: { workflowId, nodeId: set.nodeId }, data: { definition: set.definition, updatedAt: now } });
      if (count > 0) return false;
      await prisma.workflowEvalSet.create({ data: { id: randomUUID(), workflowId, nodeId: set.nodeId, definition: set.definition, updatedAt: now } });
      return true;
    },
    /** Replace every set of the draft at once (an import), in one transaction. */
    replaceAll: (workflowId: string, sets: StoredEvalSet[], now: Date) =>
      prisma.$transaction(async (tx) => {
        await tx.workflowEvalSet.deleteMany({ where: { workflowId } });
        for (const set of sets) await tx.workflowEvalSet.create({ data: { id: randomUUID(), workflowId, nodeId: set.nodeId, definition: set.definition, updatedAt: now } });
      }),
    remove: async (workflowId: string, nodeId: string): Promise<boolean> => (await prisma.workflowEvalSet.deleteMany({ where: { workflowId, nodeId } })).count > 0,
    count: (workflowId: string) => prisma.workflowEvalSet.count({ where: { workflowId } }),
    /** Freeze the draft's sets (as a JSON list) into a version. */
    freeze: (workflowId: string, version: number, evals: string) => prisma.workflowVersion.updateMany({ where: { workflowId, version }, data: { evals } }),
    version: (workflowId: string, version: number) => prisma.workflowVersion.findUnique({ where: { workflowId_version: { workflowId, version } }, select: { graph: true, graphHash: true, evals: true } }),
    latestVersion: (workflowId: string) => prisma.workflowVersion.findFirst({ where: { workflowId }, orderBy: { version: 'desc' }, select: { version: true } }),
    addRun: (run: NewEvalRun) => prisma.evalRun.create({ data: { id: randomUUID(), ...run, ranBy: run.ranBy ?? null } }),
    /** The newest runs first (at most `limit`), without their reports. */
    runs: (workflowId: string, limit: number) =>
      prisma.evalRun.findMany({ where: { workflowId }, orderBy: { ranAt: 'desc' }, take: limit, select: { id: true, version: true, score: true, results: true, origin: true, ranBy: true, ranAt: true } }),
    /** The newest run on one version (null: the draft). */
    latestRun: (workflowId: string, version: number | null) => prisma.evalRun.findFirst({ where: { workflowId, version }, orderBy: { ranAt: 'desc' }, select: { id: true, version: true, score: true, results: true, origin: true, ranBy: true, ranAt: true } }),
  };
}

export type EvalsRepo = ReturnType<typeof createEvalsRepo>;
