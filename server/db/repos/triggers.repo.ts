// Triggers through Prisma (the API's reads and writes): a workflow's webhooks and schedules, the
// list the workflows page shows, and the wake-up that tells workers a schedule's next tick changed.
import type { PrismaClient } from '../generated/sqlite/client.js';
import type { Dialect } from '../dialect.js';

export interface TriggerRow {
  id: string;
  workflowId: string;
  kind: string;
  enabled: boolean;
  secret: string | null;
  cron: string | null;
  timezone: string | null;
  missed: string | null;
  input: string | null;
  nextFireAt: Date | null;
  lastFiredAt: Date | null;
  lastRunId: string | null;
  lastError: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** postgres/wake.ts's WAKE_CHANNEL, named here so that a SQLite process does not load the pg driver through it. */
const WAKE_CHANNEL = 'cairn_work';

const columns = {
  id: true, workflowId: true, kind: true, enabled: true, secret: true, cron: true, timezone: true, missed: true, input: true,
  nextFireAt: true, lastFiredAt: true, lastRunId: true, lastError: true, createdBy: true, createdAt: true, updatedAt: true,
} as const;

export type NewTrigger = Omit<TriggerRow, 'lastFiredAt' | 'lastRunId' | 'lastError' | 'updatedAt'>;
export type TriggerChange = Partial<Pick<TriggerRow, 'enabled' | 'secret' | 'cron' | 'timezone' | 'missed' | 'input' | 'nextFireAt' | 'lastError'>> & { updatedAt: Date };

export function createTriggersRepo(prisma: PrismaClient, dialect: Dialect) {
  return {
    workflowId: async (slug: string): Promise<string | undefined> => (await prisma.workflow.findUnique({ where: { slug }, select: { id: true } }))?.id,
    list: (workflowId: string): Promise<TriggerRow[]> => prisma.trigger.findMany({ where: { workflowId }, orderBy: { createdAt: 'asc' }, select: columns }),
    /** Every trigger with its workflow's slug (the workflows page). */
    listAll: () => prisma.trigger.findMany({ orderBy: { createdAt: 'asc' }, select: { ...columns, workflow: { select: { slug: true } } } }),
    find: (id: string) => prisma.trigger.findUnique({ where: { id }, select: { ...columns, workflow: { select: { slug: true } } } }),
    create: (row: NewTrigger) => prisma.trigger.create({ data: { ...row, updatedAt: row.createdAt }, select: columns }),
    /**
     * Change one; a change of the schedule lets any claim on its old tick go, so that the worker
     * holding it cannot move the new tick on. Undefined when there is no such trigger.
     */
    async update(id: string, change: TriggerChange): Promise<TriggerRow | undefined> {
      try {
        return await prisma.trigger.update({ where: { id }, data: { ...change, ...('nextFireAt' in change ? { claimOwner: null, claimExpiresAt: null } : {}) }, select: columns });
      } catch (error) {
        if ((error as { code?: string }).code === 'P2025') return undefined;
        throw error;
      }
    },
    async remove(id: string): Promise<boolean> {
      const { count } = await prisma.trigger.deleteMany({ where: { id } });
      return count > 0;
    },
    /** Tell the workers of other processes (PostgreSQL) that a tick is due at `at`; on SQLite the caller pokes its own worker. */
    async notifyWorkers(at: number): Promise<void> {
      if (dialect !== 'postgresql') return;
      await prisma.$queryRawUnsafe('SELECT pg_notify($1, $2)', WAKE_CHANNEL, JSON.stringify({ from: 'triggers', at }));
    },
  };
}

export type TriggersRepo = ReturnType<typeof createTriggersRepo>;
