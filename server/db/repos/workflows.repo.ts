// Workflows, drafts and published versions, through Prisma. Versions are immutable; the draft is
// saved with optimistic concurrency on its revision, and every save is kept as a draft revision (the
// newest KEPT_REVISIONS per workflow) in the same transaction. Works on SQLite and PostgreSQL alike;
// the raw queries (waiting counts, which read JSON; the shared publish) have a form per dialect.
import { randomUUID } from 'node:crypto';
import type { Dialect } from '../dialect.js';
import { numberedPlaceholders } from '../postgres/sql-text.js';
import { runStatements, type Row } from '../statements.js';
import { publishVersion, type PublishedVersion, type PublishOptions } from '../versions.js';
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
  /** The team actions it uses, as JSON `[{ name, file, hash }]`; null for versions published before they were recorded. */
  actions: string | null;
}

/** How many draft revisions a workflow keeps: older ones are pruned as new ones are saved. */
export const KEPT_REVISIONS = 100;

export type RevisionKind = 'create' | 'save' | 'restore' | 'set-aside';

export interface RevisionRow {
  rev: number;
  kind: string;
  restoredFrom: number | null;
  savedBy: string | null;
  clientId: string | null;
  savedAt: Date;
}

/** One save of a draft: its graph (JSON text) and how it came about. */
export interface DraftWrite {
  graph: string;
  kind: RevisionKind;
  restoredFrom?: number;
}

const revisionFields = { rev: true, kind: true, restoredFrom: true, savedBy: true, clientId: true, savedAt: true } as const;

/** `dialect` defaults to the kind of database `prisma` was made for by server/db/prisma-client.ts. */
export function createWorkflowsRepo(prisma: PrismaClient, dialect: Dialect = prismaDialect(prisma)) {
  return {
    find: (slug: string): Promise<WorkflowRow | null> => prisma.workflow.findUnique({ where: { slug } }),
    list: (): Promise<WorkflowRow[]> => prisma.workflow.findMany({ orderBy: { updatedAt: 'desc' } }),
    /** A new workflow at draft revision 1, which is its first kept revision. */
    create: (workflow: { slug: string; name: string; draft: string; now: Date; by?: string; clientId?: string }): Promise<WorkflowRow> =>
      prisma.$transaction(async (tx) => {
        const id = randomUUID();
        const row = await tx.workflow.create({ data: { id, slug: workflow.slug, name: workflow.name, draft: workflow.draft, draftRev: 1, createdAt: workflow.now, updatedAt: workflow.now } });
        await tx.draftRevision.create({ data: { id: randomUUID(), workflowId: id, rev: 1, graph: workflow.draft, kind: 'create', savedBy: workflow.by ?? null, clientId: workflow.clientId ?? null, savedAt: workflow.now } });
        return row;
      }),
    /**
     * Replace the draft if it is still at `expectedRev` (or unconditionally without one); null on
     * conflict. Each of `writes` is one save, in order (one revision each); the draft ends as the
     * last. The revisions and the draft commit together, and revisions older than the newest
     * KEPT_REVISIONS are pruned in the same transaction.
     */
    saveDraft: (slug: string, draft: { name: string; writes: DraftWrite[]; expectedRev?: number; now: Date; by?: string; clientId?: string }): Promise<WorkflowRow | null> =>
      prisma.$transaction(async (tx) => {
        let row: WorkflowRow | null = null;
        for (const [index, write] of draft.writes.entries()) {
          // The first write is conditional; the others follow it inside this transaction.
          const where = index === 0 && draft.expectedRev !== undefined ? { slug, draftRev: draft.expectedRev } : { slug };
          // The row lock this update takes (PostgreSQL) holds concurrent saves until this commits.
          const { count } = await tx.workflow.updateMany({ where, data: { name: draft.name, draft: write.graph, draftRev: { increment: 1 }, updatedAt: draft.now } });
          if (count !== 1) return null;
          row = await tx.workflow.findUnique({ where: { slug } });
          if (!row) return null;
          await tx.draftRevision.create({
            data: { id: randomUUID(), workflowId: row.id, rev: row.draftRev, graph: write.graph, kind: write.kind, restoredFrom: write.restoredFrom ?? null, savedBy: draft.by ?? null, clientId: draft.clientId ?? null, savedAt: draft.now },
          });
        }
        if (row) await tx.draftRevision.deleteMany({ where: { workflowId: row.id, rev: { lte: row.draftRev - KEPT_REVISIONS } } });
        return row;
      }),
    /** The kept revisions, newest first (without their graphs). */
    revisions: (workflowId: string, options: { after?: number } = {}): Promise<RevisionRow[]> =>
      prisma.draftRevision.findMany({ where: { workflowId, ...(options.after !== undefined ? { rev: { gt: options.after } } : {}) }, orderBy: { rev: 'desc' }, select: revisionFields }),
    revision: (workflowId: string, rev: number): Promise<(RevisionRow & { graph: string }) | null> =>
      prisma.draftRevision.findUnique({ where: { workflowId_rev: { workflowId, rev } }, select: { ...revisionFields, graph: true } }),
    versions: (workflowId: string): Promise<VersionRow[]> =>
      prisma.workflowVersion.findMany({ where: { workflowId }, orderBy: { version: 'desc' }, select: { id: true, version: true, graph: true, graphHash: true, note: true, publishedAt: true, actions: true } }),
    version: (workflowId: string, version: number): Promise<VersionRow | null> =>
      prisma.workflowVersion.findUnique({ where: { workflowId_version: { workflowId, version } }, select: { id: true, version: true, graph: true, graphHash: true, note: true, publishedAt: true, actions: true } }),
    /** Add the next version and make it active, in one transaction (the engine's publish: db/versions.ts). */
    publish: (version: PublishOptions): Promise<PublishedVersion> =>
      prisma.$transaction((tx) =>
        runStatements(publishVersion(dialect, version), async ({ kind, sql, params }) => {
          const text = dialect === 'postgresql' ? numberedPlaceholders(sql) : sql;
          if (kind === 'read') return tx.$queryRawUnsafe<Row[]>(text, ...params);
          await tx.$executeRawUnsafe(text, ...params);
          return [];
        }),
      ),
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
