// What operators watch that only the database knows (issue 18): due timers not yet fired, pending
// approvals and their age, waiting runs by kind of wait, runs by status. Each is a count or a
// min over an indexed column, so a scrape costs a few index scans however many runs there are.
import { WAIT_KINDS, type WaitKind } from '../../shared/runs/waits.js';
import type { PrismaClient } from './prisma-client.js';

/** Upper bounds of the pending-approval age buckets, in seconds (the last bucket is open). */
export const APPROVAL_AGE_BUCKETS = [
  { label: '<1h', below: 3_600 },
  { label: '1h-1d', below: 86_400 },
  { label: '1d-7d', below: 604_800 },
  { label: '>7d', below: Number.POSITIVE_INFINITY },
] as const;

export interface OperationsSnapshot {
  /** Timers whose due time has passed but that have not fired yet. */
  timerBacklog: number;
  pendingApprovals: Record<(typeof APPROVAL_AGE_BUCKETS)[number]['label'], number>;
  /** Age of the oldest pending approval in seconds; 0 when none is pending. */
  oldestPendingApprovalSeconds: number;
  waitingByKind: Record<WaitKind, number>;
  runsByStatus: Record<string, number>;
}

export function createOperationsRepo(prisma: PrismaClient) {
  return {
    async snapshot(now: number): Promise<OperationsSnapshot> {
      const [timerBacklog, oldest, byStatus, ...counts] = await Promise.all([
        prisma.timer.count({ where: { dueAt: { lte: new Date(now) } } }),
        prisma.approvalTask.findFirst({ where: { status: 'pending' }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } }),
        prisma.instance.groupBy({ by: ['status'], _count: { _all: true } }),
        ...APPROVAL_AGE_BUCKETS.map((bucket, index) => {
          const newest = index === 0 ? undefined : new Date(now - APPROVAL_AGE_BUCKETS[index - 1].below * 1_000);
          const oldestAllowed = Number.isFinite(bucket.below) ? new Date(now - bucket.below * 1_000) : undefined;
          return prisma.approvalTask.count({ where: { status: 'pending', createdAt: { ...(newest && { lte: newest }), ...(oldestAllowed && { gt: oldestAllowed }) } } });
        }),
        // waiting_on is JSON text; each entry names its kind once.
        ...WAIT_KINDS.map((kind) => prisma.instance.count({ where: { status: 'waiting', waitingOn: { contains: `"kind":"${kind}"` } } })),
      ]);
      const approvals = counts.slice(0, APPROVAL_AGE_BUCKETS.length);
      const waiting = counts.slice(APPROVAL_AGE_BUCKETS.length);
      return {
        timerBacklog,
        pendingApprovals: Object.fromEntries(APPROVAL_AGE_BUCKETS.map((bucket, index) => [bucket.label, approvals[index]])) as OperationsSnapshot['pendingApprovals'],
        oldestPendingApprovalSeconds: oldest ? Math.max(0, (now - oldest.createdAt.getTime()) / 1_000) : 0,
        waitingByKind: Object.fromEntries(WAIT_KINDS.map((kind, index) => [kind, waiting[index]])) as Record<WaitKind, number>,
        runsByStatus: Object.fromEntries(byStatus.map((row) => [row.status, row._count._all])),
      };
    },
  };
}

export type OperationsRepo = ReturnType<typeof createOperationsRepo>;
