// Approvals for the API: listing, reading and deciding tasks by the one rule (engine mayDecide):
// a task is seen and decided by its assignees (users it names, holders of a role it names) and admins.
// "mine" lists what is assigned to the caller; "all" (admins only) lists every task.
import { asApprover, type Principal } from '../auth/principal.js';
import { mayDecide, type Engine } from '../engine/engine.js';
import type { TaskRecord } from '../engine/store.js';
import { ApiError } from '../errors.js';

export const TASK_STATUSES = ['pending', 'approved', 'rejected', 'timed_out', 'cancelled'] as const satisfies readonly TaskRecord['status'][];
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
    /** `status` and `scope` as the operation's schema (api/schemas/approvals.schemas.ts) admits them. */
    async list(principal: Principal, options: { status?: TaskRecord['status']; scope?: Scope } = {}) {
      const { status = 'pending', scope = 'mine' } = options;
      const who = asApprover(principal);
      if (scope === 'all' && !who.admin) throw new ApiError('FORBIDDEN', `scope=all lists every task, which only admins may see; ${principal.name} is not an admin (scope=mine lists the tasks assigned to you or your roles)`);
      // "mine" asks the rule without the admin's reach: an admin's own inbox holds what is assigned to them.
      const tasks = await engine.tasksFor({ ...who, admin: scope === 'all', status });
      return tasks.map((task) => taskView(task, principal));
    },
    async get(principal: Principal, taskId: string) {
      const task = await engine.task(taskId);
      if (!mayDecide(task, asApprover(principal))) throw new ApiError('FORBIDDEN', `approval "${taskId}" is not assigned to ${principal.name} or one of their roles`);
      return taskView(task, principal);
    },
    async decide(principal: Principal, taskId: string, body: { decision: 'approve' | 'reject'; comment?: string; form?: unknown }) {
      // engine.decide applies the same rule before anything is stored.
      return taskView(await engine.decide(taskId, { by: asApprover(principal), decision: body.decision, comment: body.comment, form: body.form }), principal);
    },
  };
}

export type ApprovalsService = ReturnType<typeof createApprovalsService>;
