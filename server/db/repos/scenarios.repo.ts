// Scenarios stored with a workflow's draft (one row each, in the author's order), the frozen copy in
// each published version, and the workflow's "failing scenarios block publish" setting. Prisma, so it
// works on SQLite and PostgreSQL alike.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../prisma-client.js';

export interface StoredScenario {
  name: string;
  /** The scenario as JSON text. */
  definition: string;
}

export function createScenariosRepo(prisma: PrismaClient) {
  return {
    workflow: (slug: string) => prisma.workflow.findUnique({ where: { slug }, select: { id: true, slug: true, draft: true, requirePassingScenarios: true } }),
    list: (workflowId: string): Promise<StoredScenario[]> => prisma.workflowScenario.findMany({ where: { workflowId }, orderBy: { position: 'asc' }, select: { name: true, definition: true } }),
    /** Replace every scenario of the draft, in one transaction. */
    replaceAll: (workflowId: string, scenarios: StoredScenario[], now: Date) =>
      prisma.$transaction(async (tx) => {
        await tx.workflowScenario.deleteMany({ where: { workflowId } });
        for (const [position, scenario] of scenarios.entries()) {
          await tx.workflowScenario.create({ data: { id: randomUUID(), workflowId, name: scenario.name, definition: scenario.definition, position, updatedAt: now } });
        }
      }),
    /** Create or replace one scenario; a new one goes last. Returns whether it was created. */
    put: (workflowId: string, scenario: StoredScenario, now: Date): Promise<boolean> =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.workflowScenario.updateMany({ where: { workflowId, name: scenario.name }, data: { definition: scenario.definition, updatedAt: now } });
        if (count > 0) return false;
        const last = await tx.workflowScenario.aggregate({ where: { workflowId }, _max: { position: true } });
        await tx.workflowScenario.create({ data: { id: randomUUID(), workflowId, name: scenario.name, definition: scenario.definition, position: (last._max.position ?? -1) + 1, updatedAt: now } });
        return true;
      }),
    count: (workflowId: string) => prisma.workflowScenario.count({ where: { workflowId } }),
    remove: async (workflowId: string, name: string): Promise<boolean> => (await prisma.workflowScenario.deleteMany({ where: { workflowId, name } })).count > 0,
    setRequirePassing: (workflowId: string, value: boolean) => prisma.workflow.update({ where: { id: workflowId }, data: { requirePassingScenarios: value } }),
    /** Freeze the draft's scenarios (as a JSON list) into a version. */
    freeze: (workflowId: string, version: number, scenarios: string) => prisma.workflowVersion.updateMany({ where: { workflowId, version }, data: { scenarios } }),
    version: (workflowId: string, version: number) => prisma.workflowVersion.findUnique({ where: { workflowId_version: { workflowId, version } }, select: { graph: true, scenarios: true } }),
  };
}

export type ScenariosRepo = ReturnType<typeof createScenariosRepo>;
