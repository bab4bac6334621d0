// Workflows, drafts and published versions, through Prisma. Versions are immutable; the draft is
// saved with optimistic concurrency on its revision. Works on SQLite and PostgreSQL alike; the one
// raw query (waiting counts, which reads JSON) has a form per dialect.
import { randomUUID } from 'node:crypto';
import type { Dialect } from '../engine-database.js';
import { prismaDialect, type PrismaClient } from '../prisma-client.js';

export interface WorkflowRow {
  id: string;
  slug: string;
  name: string;
  draft: string;
  draftRev: number;
  activeVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface VersionRow {
  id: string;
  version: number;
  graph: string;
  graphHash: string;
  note: string | null;
  publishedAt: Date;
}

/** `dialect` defaults to the kind of database `prisma` was made for by server/db/prisma-client.ts. */
export function createWorkflowsRepo(prisma: PrismaClient, dialect: Dialect = prismaDialect(prisma)) {
  return {
    find: (slug: string): Promise<WorkflowRow | null> => prisma.workflow.findUnique({ where: { slug } }),
    list: (): Promise<WorkflowRow[]> => prisma.workflow.findMany({ orderBy: { updatedAt: 'desc' } }),
    create: (workflow: { slug: string; name: string; draft: string; now: Date }): Promise<WorkflowRow> =>
      prisma.workflow.create({ data: { id: randomUUID(), slug: workflow.slug, name: workflow.name, draft: workflow.draft, draftRev: 1, createdAt: workflow.now, updatedAt: workflow.now } }),
    /** Replace the draft if it is still at `expectedRev` (or unconditionally without one); null on conflict. */
    async saveDraft(slug: string, draft: { name: string; graph: string; expectedRev?: number; now: Date }): Promise<WorkflowRow | null> {
      const where = draft.expectedRev === undefined ? { slug } : { slug, draftRev: draft.expectedRev };
      const { count } = await prisma.workflow.updateMany({ where, data: { name: draft.name, draft: draft.graph, draftRev: { increment: 1 }, updatedAt: draft.now } });
      return count === 1 ? prisma.workflow.findUnique({ where: { slug } }) : null;
    },
    versions: (workflowId: string): Promise<VersionRow[]> =>
      prisma.workflowVersion.findMany({ where: { workflowId }, orderBy: { version: 'desc' }, select: { id: true, version: true, graph: true, graphHash: true, note: true, publishedAt: true } }),
    version: (workflowId: string, version: number): Promise<VersionRow | null> =>
      prisma.workflowVersion.findUnique({ where: { workflowId_version: { workflowId, version } }, select: { id: true, version: true, graph: true, graphHash: true, note: true, publishedAt: true } }),
    /** Add the next version and make it active, in one transaction. */
    publish: (workflowId: string, version: { graph: string; graphHash: string; note?: string; now: Date }) =>
      prisma.$transaction(async (tx) => {
        const latest = await tx.workflowVersion.aggregate({ where: { workflowId }, _max: { version: true } });
        const next = (latest._max.version ?? 0) + 1;
        await tx.workflowVersion.create({ data: { id: randomUUID(), workflowId, version: next, graph: version.graph, graphHash: version.graphHash, note: version.note, publishedAt: version.now } });
        await tx.workflow.update({ where: { id: workflowId }, data: { activeVersion: next, updatedAt: version.now } });
        return next;
      }),
    rename: (workflowId: string, name: string, now: Date) => prisma.workflow.update({ where: { id: workflowId }, data: { name, updatedAt: now } }),
    /** Delete a workflow with its versions and finished runs (callers refuse while runs are in flight). */
    remove: (workflowId: string) => prisma.workflow.delete({ where: { id: workflowId } }),
    inFlight: (workflowId: string) => prisma.instance.count({ where: { workflowId, status: { in: ['pending', 'running', 'waiting'] } } }),
    promote: (workflowId: string, version: number, now: Date) => prisma.workflow.update({ where: { id: workflowId }, data: { activeVersion: version, updatedAt: now } }),
    /** Run counts per version and status. */
    async runCounts(workflowId: string): Promise<{ version: number; status: string; count: number }[]> {
      const rows = await prisma.instance.groupBy({ by: ['version', 'status'], where: { workflowId }, _count: { _all: true } });
      return rows.map((row) => ({ version: row.version, status: row.status, count: row._count._all }));
    },
    /** Runs waiting, per version and node they wait at (`waiting_on` is a JSON array of waits). */
    async waitingCounts(workflowId: string): Promise<{ version: number; nodeId: string; count: number }[]> {
      type Row = { version: number; nodeId: string; count: bigint | number };
      // COUNT(*) is a bigint on PostgreSQL; aliases are quoted there to keep their case.
      const rows =
        dialect === 'postgresql'
          ? await prisma.$queryRaw<Row[]>`
              SELECT i.version AS "version", j.value->>'nodeId' AS "nodeId", COUNT(*) AS "count"
              FROM instances i CROSS JOIN LATERAL jsonb_array_elements(i.waiting_on::jsonb) AS j(value)
              WHERE i.workflow_id = ${workflowId} AND i.status = 'waiting' GROUP BY 1, 2`
          : await prisma.$queryRaw<Row[]>`
              SELECT i.version AS version, json_extract(j.value, '$.nodeId') AS nodeId, COUNT(*) AS count
              FROM instances i, json_each(i.waiting_on) j
              WHERE i.workflow_id = ${workflowId} AND i.status = 'waiting' GROUP BY 1, 2`;
      return rows.map((row) => ({ version: Number(row.version), nodeId: row.nodeId, count: Number(row.count) }));
    },
  };
}

export type WorkflowsRepo = ReturnType<typeof createWorkflowsRepo>;
