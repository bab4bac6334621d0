// Approvals for the API: listing, reading and deciding tasks by the one rule (engine mayDecide):
// a task is seen and decided by its assignees (users it names, holders of a role it names), admins
// and the delegates of any of them — never by a user its policy forbids (self-approval).
// "mine" lists what is assigned to the caller (or to whom they stand in for); "all" (admins only) lists every task.
import { describeTally, tallyOf } from '../../shared/runs/approval-policy.js';
import { asApprover, type Principal } from '../auth/principal.js';
import { decidingAs, mayDecide, refusalOf, type Approver, type Engine } from '../engine/engine.js';
import type { TaskRecord } from '../engine/store.js';
import { ApiError } from '../errors.js';

export const TASK_STATUSES = ['pending', 'approved', 'rejected', 'timed_out', 'cancelled'] as const satisfies readonly TaskRecord['status'][];
export const SCOPES = ['mine', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * A task as the API answers it: whether it is assigned to the caller (not only theirs as an admin),
 * on whose behalf they would decide, and the quorum's progress ("1 of 2 approved").
 */
export function taskView(task: TaskRecord, principal: Principal, who: Approver = asApprover(principal)) {
  const assignedToYou = mayDecide(task, { ...who, admin: false });
  const decidingFor = decidingAs(task, { ...who, admin: false })?.onBehalfOf ?? null;
  return {
    ...task,
    dueAt: iso(task.dueAt),
    createdAt: iso(task.createdAt),
    decidedAt: iso(task.decidedAt),
    remindedAt: iso(task.remindedAt),
    escalatedAt: iso(task.escalatedAt),
    decisions: task.decisions.map((vote) => ({ ...vote, at: iso(vote.at) })),
    progress: describeTally(task.policy, tallyOf(task.decisions)),
    assignedToYou,
    decidingFor,
  };
}

export function createApprovalsService(deps: { engine: Engine; approver?: (principal: Principal) => Promise<Approver> }) {
  const { engine } = deps;
  const approverOf = deps.approver ?? (async (principal: Principal) => asApprover(principal));
  return {
    /** `status` and `scope` as the operation's schema (api/schemas/approvals.schemas.ts) admits them. */
    async list(principal: Principal, options: { status?: TaskRecord['status']; scope?: Scope } = {}) {
      const { status = 'pending', scope = 'mine' } = options;
      const who = await approverOf(principal);
      if (scope === 'all' && !who.admin) throw new ApiError('FORBIDDEN', `scope=all lists every task, which only admins may see; ${principal.name} is not an admin (scope=mine lists the tasks assigned to you or your roles)`);
      // "mine" asks the rule without the admin's reach: an admin's own inbox holds what is assigned to them.
      const tasks = await engine.tasksFor({ ...who, admin: scope === 'all', status });
      return tasks.map((task) => taskView(task, principal, who));
    },
    async get(principal: Principal, taskId: string) {
      const task = await engine.task(taskId);
      const who = await approverOf(principal);
      if (!mayDecide(task, who)) throw new ApiError('FORBIDDEN', refusalOf(task, who));
      return taskView(task, principal, who);
    },
    /** `via`: set by the e-mail links (server/approval-mail/), never by an API caller's input. */
    async decide(principal: Principal, taskId: string, body: { decision: 'approve' | 'reject'; comment?: string; form?: unknown; via?: 'email' }) {
      // engine.decide applies the same rule (self-approval included) before anything is stored.
      const who = await approverOf(principal);
      return taskView(await engine.decide(taskId, { by: who, decision: body.decision, comment: body.comment, form: body.form, via: body.via }), principal, who);
    },
  };
}

export type ApprovalsService = ReturnType<typeof createApprovalsService>;
