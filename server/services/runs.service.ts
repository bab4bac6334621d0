// Runs for the API: start on the active version (input checked, Idempotency-Key dedupes), read in
// the shape of DESIGN §4, list with filters and a cursor, signal and cancel.
import type { RunError } from '../../shared/runs/errors.js';
import type { HistoryEvent } from '../../shared/runs/history.js';
import type { RunStatus } from '../../shared/runs/status.js';
import type { WaitingOn } from '../../shared/runs/waits.js';
import type { PrismaClient } from '../db/generated/sqlite/client.js';
import type { WorkflowsRepo } from '../db/repos/workflows.repo.js';
import type { Engine } from '../engine/engine.js';
import { EngineError } from '../engine/errors.js';
import type { InstanceRecord } from '../engine/store.js';
import { ApiError } from '../errors.js';

/** The most history events one page of `historyAfter` returns. */
export const HISTORY_PAGE_MAX = 1_000;

export interface RunView {
  id: string;
  workflow: string;
  version: number;
  status: RunStatus;
  input: unknown;
  output: unknown;
  error: RunError | null;
  waitingOn: WaitingOn[];
  parentId: string | null;
  createdAt: string;
  updatedAt: string;
}

export function runView(run: InstanceRecord): RunView {
  return {
    id: run.id,
    workflow: run.workflowSlug,
    version: run.version,
    status: run.status,
    input: run.input,
    output: run.output,
    error: run.error,
    waitingOn: run.waitingOn,
    parentId: run.parentId,
    createdAt: new Date(run.createdAt).toISOString(),
    updatedAt: new Date(run.updatedAt).toISOString(),
  };
}

export interface RunFilters {
  workflow?: string;
  version?: number;
  status?: string;
  waitingAt?: string;
  cursor?: string;
  limit?: number;
}

export function createRunsService(deps: { engine: Engine; workflows: WorkflowsRepo; prisma: PrismaClient }) {
  const { engine, workflows, prisma } = deps;

  return {
    /** `traceparent`: the caller's W3C trace context; the run's trace continues it (issue 18). */
    async start(slug: string, input: unknown, idempotencyKey?: string, traceparent?: string, startedBy?: string) {
      try {
        return await engine.startRun({ workflow: slug, input: input ?? {}, idempotencyKey, traceparent, startedBy });
      } catch (error) {
        // Only on the way out: tell an unknown workflow (404) from an unpublished one (409).
        if (!(error instanceof EngineError && error.code === 'NOT_FOUND')) throw error;
        if (!(await workflows.find(slug))) throw new ApiError('NOT_FOUND', `no workflow "${slug}"`);
        throw new ApiError('CONFLICT', `workflow "${slug}" has no published version yet; publish it first`);
      }
    },
    get: async (id: string) => runView(await engine.getRun(id)),
    async history(id: string) {
      await engine.getRun(id);
      return (await engine.history(id)).map((event) => ({ ...event, at: new Date(event.at).toISOString() }));
    },

    /**
     * The events after sequence number `afterSeq`, at most `limit` (≤ HISTORY_PAGE_MAX), in order:
     * a page that holds part of a history reads only what it lacks. `more`: later events exist.
     */
    async historyAfter(id: string, afterSeq: number, limit: number) {
      await engine.getRun(id);
      const take = Math.min(Math.max(Math.trunc(limit), 1), HISTORY_PAGE_MAX);
      const rows = await prisma.historyEvent.findMany({ where: { instanceId: id, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: take + 1 });
      // The engine wrote each event through the typed record() of shared/runs/history.ts.
      const events = rows.slice(0, take).map((row) => ({
        seq: row.seq,
        type: row.type,
        at: row.at.toISOString(),
        ...(row.nodeId !== null ? { nodeId: row.nodeId } : {}),
        ...(row.visit !== null ? { visit: row.visit } : {}),
        ...(row.attempt !== null ? { attempt: row.attempt } : {}),
        ...(row.data !== null ? { data: JSON.parse(row.data) as unknown } : {}),
      })) as HistoryEvent[];
      return { events, more: rows.length > take };
    },

    /** Where a run is: what a live page compares a notice's revision with. */
    async head(id: string) {
      const run = await engine.getRun(id);
      return { instanceId: run.id, status: run.status, rev: run.rev };
    },
    signal: (id: string, name: string, data: unknown) => engine.signal(id, name, data),
    cancel: (id: string, options: { compensate?: boolean; reason?: string; by: string }) => engine.cancel(id, options),
    retry: (id: string, by: string) => engine.retry(id, { by }),
    /** Rerun a finished run from one of its nodes; `input` is X's changed input when the caller sent one. */
    rerun: (id: string, request: { fromNode: string; input?: { value: unknown }; onVersion?: 'same' | 'active' }, by: string) => engine.rerun({ runId: id, ...request, by }),

    /** Run counts per status, for one workflow or all. */
    async counts(workflowSlug?: string) {
      const workflow = workflowSlug ? await workflows.find(workflowSlug) : undefined;
      if (workflowSlug && !workflow) throw new ApiError('NOT_FOUND', `no workflow "${workflowSlug}"`);
      const rows = await prisma.instance.groupBy({ by: ['status'], where: workflow ? { workflowId: workflow.id } : {}, _count: { _all: true } });
      const counts: Record<string, number> = { pending: 0, running: 0, waiting: 0, completed: 0, failed: 0, cancelled: 0 };
      for (const row of rows) counts[row.status] = row._count._all;
      return counts;
    },

    /**
     * A run as its page shows it, at revision `rev` with `historyCount` events. The graph (immutable:
     * workflows.version) and the history (historyAfter) are read apart, so a change re-reads neither whole.
     */
    async detail(id: string) {
      const run = await engine.getRun(id);
      return { run: runView(run), rev: run.rev, historyCount: run.historyCount, tokens: run.state.tokens, outputs: run.state.outputs };
    },

    /**
     * What expressions saw in the workflow's newest run — its input, each node's last output and the
     * instance fields (DESIGN §2's evaluation root) — for the editor's previews; null before any run.
     */
    async latestData(slug: string) {
      const workflow = await workflows.find(slug);
      if (!workflow) throw new ApiError('NOT_FOUND', `no workflow "${slug}"`);
      const newest = await prisma.instance.findFirst({ where: { workflowId: workflow.id }, orderBy: { id: 'desc' }, select: { id: true } });
      if (!newest) return null;
      const run = await engine.getRun(newest.id);
      const instance = { id: run.id, workflow: run.workflowSlug, version: run.version, startedAt: new Date(run.createdAt).toISOString() };
      return { runId: run.id, status: run.status, root: { input: run.input, nodes: run.state.outputs, instance } };
    },

    /** Newest first; `cursor` is the id of the last run of the previous page (ids sort by time). */
    async list(filters: RunFilters) {
      const limit = Math.min(Math.max(filters.limit ?? 50, 1), 200);
      const workflow = filters.workflow ? await workflows.find(filters.workflow) : undefined;
      if (filters.workflow && !workflow) throw new ApiError('NOT_FOUND', `no workflow "${filters.workflow}"`);
      const rows = await prisma.instance.findMany({
        where: {
          ...(workflow ? { workflowId: workflow.id } : {}),
          ...(filters.version !== undefined ? { version: filters.version } : {}),
          ...(filters.status ? { status: filters.status } : {}),
          ...(filters.waitingAt ? { waitingOn: { contains: `"nodeId":${JSON.stringify(filters.waitingAt)}` } } : {}),
          ...(filters.cursor ? { id: { lt: filters.cursor } } : {}),
        },
        orderBy: { id: 'desc' },
        take: limit + 1,
        include: { workflow: { select: { slug: true } } },
      });
      const page = rows.slice(0, limit).map((row) => ({
        id: row.id,
        workflow: row.workflow.slug,
        version: row.version,
        status: row.status as RunStatus,
        waitingOn: row.waitingOn ? (JSON.parse(row.waitingOn) as WaitingOn[]) : [],
        error: row.error ? (JSON.parse(row.error) as RunError) : null,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      }));
      return { runs: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
    },
  };
}

export type RunsService = ReturnType<typeof createRunsService>;
