// Approvals for the API: the caller's tasks (direct and by role) and deciding one.
import { asApprover, type Principal } from '../auth/principal.js';
import { isAssignee, type Engine } from '../engine/engine.js';
import type { TaskRecord } from '../engine/store.js';
import { ApiError } from '../errors.js';

const STATUSES: readonly TaskRecord['status'][] = ['pending', 'approved', 'rejected', 'timed_out', 'cancelled'];

export function taskView(task: TaskRecord) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return { ...task, dueAt: iso(task.dueAt), createdAt: iso(task.createdAt), decidedAt: iso(task.decidedAt) };
}

export function createApprovalsService(deps: { engine: Engine }) {
  const { engine } = deps;
  return {
    async list(principal: Principal, status = 'pending') {
      if (!(STATUSES as readonly string[]).includes(status)) throw new ApiError('BAD_REQUEST', `status must be one of ${STATUSES.join(', ')}`);
      // The inbox is what is assigned to me or my roles; an admin may decide any task, but sees their own here.
      return (await engine.tasksFor({ ...asApprover(principal), admin: false, status: status as TaskRecord['status'] })).map(taskView);
    },
    async get(principal: Principal, taskId: string) {
      const task = await engine.task(taskId);
      if (!isAssignee(task, asApprover(principal))) throw new ApiError('FORBIDDEN', `approval "${taskId}" is not assigned to ${principal.name}`);
      return taskView(task);
    },
    async decide(principal: Principal, taskId: string, body: { decision?: unknown; comment?: unknown; form?: unknown }) {
      if (body.decision !== 'approve' && body.decision !== 'reject') throw new ApiError('INVALID_INPUT', 'decision must be "approve" or "reject"');
      if (body.comment !== undefined && typeof body.comment !== 'string') throw new ApiError('INVALID_INPUT', 'comment must be text');
      return taskView(await engine.decide(taskId, { by: asApprover(principal), decision: body.decision, comment: body.comment, form: body.form }));
    },
  };
}

export type ApprovalsService = ReturnType<typeof createApprovalsService>;
