// Bulk actions for the API: cancel, retry, pause or resume every run a filter matches. A preview
// counts them; creating the job names that count (the confirmation) and is refused when the filter
// now matches another number; the job itself is done by the bulk job runner, in batches.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RUN_STATUSES } from '../../shared/runs/status.js';
import type { BulkJobRow, BulkJobsRepo, RunFilter } from '../db/repos/bulk-jobs.repo.js';
import type { WorkflowsRepo } from '../db/repos/workflows.repo.js';
import type { Clock } from '../engine/clock.js';
import { ApiError } from '../errors.js';

export const BULK_ACTIONS = ['cancel', 'retry', 'pause', 'resume'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

const isoTime = (field: string) =>
  z.string({ error: `${field} must be an ISO 8601 date-time` }).refine((text) => text.length <= 40 && !Number.isNaN(Date.parse(text)), `${field} must be an ISO 8601 date-time`);

export const bulkFilterSchema = z.strictObject(
  {
    workflow: z.string({ error: 'workflow must be a slug' }).min(1).max(200).optional(),
    version: z.number({ error: 'version must be a whole number' }).int('version must be a whole number').min(1, 'version must be 1 or more').max(1_000_000).optional(),
    status: z.enum(RUN_STATUSES, { error: `status must be one of ${RUN_STATUSES.join(', ')}` }).optional(),
    waitingAt: z.string({ error: 'waitingAt must be a node id' }).min(1).max(200).optional(),
    startedAfter: isoTime('startedAfter').optional(),
    startedBefore: isoTime('startedBefore').optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown filter field(s): ${issue.keys.join(', ')}` : 'the filter must be an object') },
);
export type BulkFilter = z.infer<typeof bulkFilterSchema>;

export const bulkRequestSchema = z.strictObject(
  {
    action: z.enum(BULK_ACTIONS, { error: `action must be one of ${BULK_ACTIONS.join(', ')}` }),
    filter: bulkFilterSchema,
    expectedCount: z.number({ error: 'expectedCount must be the number of runs the preview showed' }).int().min(0).optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : 'the request body must be an object') },
);

export function parseBulkRequest(value: unknown): { action: BulkAction; filter: BulkFilter; expectedCount?: number } {
  const parsed = bulkRequestSchema.safeParse(value);
  if (!parsed.success) throw new ApiError('BAD_REQUEST', parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; '));
  return parsed.data;
}

export interface BulkJobView {
  id: string;
  action: BulkAction;
  filter: BulkFilter;
  status: 'queued' | 'running' | 'completed' | 'failed';
  total: number;
  processed: number;
  succeeded: number;
  skipped: number;
  notes: unknown;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}

export function bulkJobView(row: BulkJobRow): BulkJobView {
  return {
    id: row.id,
    action: row.action as BulkAction,
    filter: JSON.parse(row.filter) as BulkFilter,
    status: row.status as BulkJobView['status'],
    total: row.total,
    processed: row.processed,
    succeeded: row.succeeded,
    skipped: row.skipped,
    notes: row.notes ? (JSON.parse(row.notes) as unknown) : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export function createBulkActionsService(deps: { repo: BulkJobsRepo; workflows: WorkflowsRepo; clock: Clock; kick(): void }) {
  const { repo, workflows, clock } = deps;

  /** The filter as the repo reads it; an unknown workflow is a 404, not "0 runs". */
  async function runFilter(filter: BulkFilter): Promise<RunFilter> {
    let workflowId: string | undefined;
    if (filter.workflow) {
      const workflow = await workflows.find(filter.workflow);
      if (!workflow) throw new ApiError('NOT_FOUND', `no workflow "${filter.workflow}"`);
      workflowId = workflow.id;
    }
    const after = filter.startedAfter ? new Date(filter.startedAfter) : undefined;
    const before = filter.startedBefore ? new Date(filter.startedBefore) : undefined;
    if (after && before && after >= before) throw new ApiError('BAD_REQUEST', 'startedAfter must be earlier than startedBefore');
    return { workflowId, version: filter.version, status: filter.status, waitingAt: filter.waitingAt, startedAfter: after, startedBefore: before };
  }

  return {
    async preview(request: unknown) {
      const { action, filter } = parseBulkRequest(request);
      return { action, filter, count: await repo.count(await runFilter(filter)) };
    },

    async create(request: unknown, by: string): Promise<BulkJobView> {
      const { action, filter, expectedCount } = parseBulkRequest(request);
      if (expectedCount === undefined) throw new ApiError('BAD_REQUEST', 'expectedCount is required: preview the action, then confirm the number of runs it showed');
      const where = await runFilter(filter);
      const [total, upto] = await Promise.all([repo.count(where), repo.newest(where)]);
      if (total !== expectedCount) {
        throw new ApiError('CONFLICT', `the filter now matches ${total.toLocaleString('en')} run(s), not the ${expectedCount.toLocaleString('en')} confirmed; preview again`);
      }
      const now = new Date(clock.now());
      const row = await repo.create({ id: randomUUID(), action, filter: JSON.stringify(filter), status: total === 0 ? 'completed' : 'queued', total, upto, createdBy: by, createdAt: now, updatedAt: now });
      if (total > 0) deps.kick();
      return bulkJobView(row);
    },

    async get(id: string): Promise<BulkJobView> {
      const row = typeof id === 'string' && id.length <= 100 ? await repo.find(id) : null;
      if (!row) throw new ApiError('NOT_FOUND', `no bulk job with id "${String(id).slice(0, 100)}"`);
      return bulkJobView(row);
    },

    list: async () => (await repo.list(50)).map(bulkJobView),
    runFilter,
  };
}

export type BulkActionsService = ReturnType<typeof createBulkActionsService>;
