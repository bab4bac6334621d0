// Bulk jobs and the runs a filter matches, through Prisma (SQLite and PostgreSQL alike). Runs are
// visited in id order (time order) after a cursor and up to the newest id when the job was made,
// so a job never touches a run started after it and picks up where it left off after a restart.
import type { Prisma, PrismaClient } from '../generated/sqlite/client.js';

export interface RunFilter {
  workflowId?: string;
  version?: number;
  status?: string;
  waitingAt?: string;
  startedAfter?: Date;
  startedBefore?: Date;
}

export interface BulkJobRow {
  id: string;
  action: string;
  filter: string;
  status: string;
  total: number;
  processed: number;
  succeeded: number;
  skipped: number;
  cursor: string | null;
  upto: string | null;
  notes: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

function where(filter: RunFilter): Prisma.InstanceWhereInput {
  return {
    ...(filter.workflowId ? { workflowId: filter.workflowId } : {}),
    ...(filter.version !== undefined ? { version: filter.version } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    // waiting_on is JSON text: the node's id as it is written there.
    ...(filter.waitingAt ? { waitingOn: { contains: `"nodeId":${JSON.stringify(filter.waitingAt)}` } } : {}),
    ...(filter.startedAfter || filter.startedBefore ? { createdAt: { ...(filter.startedAfter ? { gte: filter.startedAfter } : {}), ...(filter.startedBefore ? { lt: filter.startedBefore } : {}) } } : {}),
  };
}

export function createBulkJobsRepo(prisma: PrismaClient) {
  return {
    count: (filter: RunFilter) => prisma.instance.count({ where: where(filter) }),
    /** The newest run the filter matches now: a job made now stops there. */
    async newest(filter: RunFilter): Promise<string | null> {
      const row = await prisma.instance.findFirst({ where: where(filter), orderBy: { id: 'desc' }, select: { id: true } });
      return row?.id ?? null;
    },
    /**
     * The runs the filter matches among the next `window` runs after `cursor` (up to `upto`), in id
     * order, and the cursor after them. The window is read by primary key alone, so each batch costs
     * the rows it looks at, not the rows the filter matches in all (an index on the filter would
     * have the database sort every match on each batch).
     */
    async nextRuns(filter: RunFilter, options: { cursor: string | null; upto: string; window: number }): Promise<{ ids: string[]; cursor: string | null }> {
      const window = await prisma.instance.findMany({
        where: { id: { lte: options.upto, ...(options.cursor ? { gt: options.cursor } : {}) } },
        orderBy: { id: 'asc' },
        take: options.window,
        select: { id: true },
      });
      if (window.length === 0) return { ids: [], cursor: null };
      const matching = await prisma.instance.findMany({ where: { AND: [where(filter), { id: { in: window.map((row) => row.id) } }] }, orderBy: { id: 'asc' }, select: { id: true } });
      return { ids: matching.map((row) => row.id), cursor: window[window.length - 1].id };
    },
    create: (job: Omit<BulkJobRow, 'processed' | 'succeeded' | 'skipped' | 'cursor' | 'notes' | 'finishedAt'>) =>
      prisma.bulkJob.create({ data: { ...job, processed: 0, succeeded: 0, skipped: 0 } }) as Promise<BulkJobRow>,
    find: (id: string) => prisma.bulkJob.findUnique({ where: { id } }) as Promise<BulkJobRow | null>,
    list: (take: number) => prisma.bulkJob.findMany({ orderBy: { id: 'desc' }, take }) as Promise<BulkJobRow[]>,
    /** The oldest job not finished (queued, or running when the server stopped). */
    next: () => prisma.bulkJob.findFirst({ where: { status: { in: ['queued', 'running'] } }, orderBy: { id: 'asc' } }) as Promise<BulkJobRow | null>,
    update: (id: string, data: Partial<Omit<BulkJobRow, 'id'>>) => prisma.bulkJob.update({ where: { id }, data }) as Promise<BulkJobRow>,
  };
}

export type BulkJobsRepo = ReturnType<typeof createBulkJobsRepo>;
