// Approvals for the API: listing, reading and deciding tasks by the one rule (engine mayDecide):
// a task is seen and decided by its assignees (users it names, holders of a role it names) and admins.
// "mine" lists what is assigned to the caller; "all" (admins only) lists every task.
import { asApprover, type Principal } from '../auth/principal.js';
import { mayDecide, type Engine } from '../engine/engine.js';
import type { TaskRecord } from '../engine/store.js';
import { ApiError } from '../errors.js';

const STATUSES: readonly TaskRecord['status'][] = ['pending', 'approved', 'rejected', 'timed_out', 'cancelled'];
export const SCOPES = ['mine', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

/** A task as the API answers it, with whether it is assigned to the caller (not only theirs as an admin). */
export function taskView(task: TaskRecord, principal: Principal) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const assignedToYou = mayDecide(task, { ...asApprover(principal), admin: false });
  return { ...task, dueAt: iso(task.dueAt), createdAt: iso(task.createdAt), decidedAt: iso(task.decidedAt), assignedToYou };
}

export function createApprovalsService(deps: { engine: Engine }) {
  const { engine } = deps;
  return {
    async list(principal: Principal, options: { status?: unknown; scope?: unknown } = {}) {
      const { status = 'pending', scope = 'mine' } = options;
      if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) throw new ApiError('BAD_REQUEST', `status must be one of ${STATUSES.join(', ')}`);
      if (typeof scope !== 'string' || !(SCOPES as readonly string[]).includes(scope)) throw new ApiError('BAD_REQUEST', `scope must be "mine" (tasks assigned to you or your roles) or "all" (every task; admins only)`);
      const who = asApprover(principal);
      if (scope === 'all' && !who.admin) throw new ApiError('FORBIDDEN', `scope=all lists every task, which only admins may see; ${principal.name} is not an admin (scope=mine lists the tasks assigned to you or your roles)`);
      // "mine" asks the rule without the admin's reach: an admin's own inbox holds what is assigned to them.
      const tasks = await engine.tasksFor({ ...who, admin: scope === 'all', status: status as TaskRecord['status'] });
      return tasks.map((task) => taskView(task, principal));
    },
    async get(principal: Principal, taskId: string) {
      const task = await engine.task(taskId);
      if (!mayDecide(task, asApprover(principal))) throw new ApiError('FORBIDDEN', `approval "${taskId}" is not assigned to ${principal.name} or one of their roles`);
      return taskView(task, principal);
    },
    async decide(principal: Principal, taskId: string, body: { decision?: unknown; comment?: unknown; form?: unknown }) {
      if (body.decision !== 'approve' && body.decision !== 'reject') throw new ApiError('INVALID_INPUT', 'decision must be "approve" or "reject"');
      if (body.comment !== undefined && typeof body.comment !== 'string') throw new ApiError('INVALID_INPUT', 'comment must be text');
      // engine.decide applies the same rule before anything is stored.
      return taskView(await engine.decide(taskId, { by: asApprover(principal), decision: body.decision, comment: body.comment, form: body.form }), principal);
    },
  };
}

export type ApprovalsService = ReturnType<typeof createApprovalsService>;
