// The inbox as the web app pages it: tabs (Mine: named to me or claimed by me; My roles: through a
// role; Decided by me; All: every pending task, admins only), counted and paged on the server;
// claims (who is handling a task, shown to everyone who sees it); and deciding several tasks with
// one comment — each decided on its own through the approvals service, each refusal reported.
import { asApprover, type Principal } from '../auth/principal.js';
import { claimsOf, claimTask, inboxCounts, inboxPage, unclaimTask, type Claim, type InboxPeople, type InboxTab } from '../db/inbox-pages.js';
import type { EngineDatabase } from '../db/engine-database.types.js';
import type { Clock } from '../engine/clock.js';
import { mayDecide, refusalOf, type Approver, type Engine } from '../engine/engine.js';
import { EngineError } from '../engine/errors.js';
import { ApiError } from '../errors.js';
import { taskView, type ApprovalsService } from './approvals.service.js';

export const INBOX_TABS = ['mine', 'roles', 'decided', 'all'] as const satisfies readonly InboxTab[];
export const MAX_PAGE = 100;
export const MAX_BULK = 100;

const iso = (ms: number) => new Date(ms).toISOString();
const claimView = (claim: Claim | undefined) => (claim ? { claimedBy: claim.username, claimedAt: iso(claim.claimedAt) } : { claimedBy: null, claimedAt: null });

export interface InboxDeps {
  database: Pick<EngineDatabase, 'dialect' | 'transact'>;
  engine: Pick<Engine, 'task'>;
  approvals: Pick<ApprovalsService, 'decide'>;
  clock: Clock;
  approver?: (principal: Principal) => Promise<Approver>;
}

export function createInboxService(deps: InboxDeps) {
  const { database, clock } = deps;
  const { dialect } = database;
  const approverOf = deps.approver ?? (async (principal: Principal) => asApprover(principal));
  // Claims are not the engine's: the composition root hands them to the live bus (inboxes refresh).
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  const peopleOf = (who: Approver): InboxPeople => ({
    user: who.user,
    people: [{ user: who.user, roles: who.roles ?? [] }, ...(who.delegators ?? [])],
  });

  async function decidable(principal: Principal, taskId: string) {
    const task = await deps.engine.task(taskId);
    const who = await approverOf(principal);
    if (!mayDecide(task, who)) throw new ApiError('FORBIDDEN', refusalOf(task, who));
    return { task, who };
  }

  return {
    async page(principal: Principal, request: { tab: InboxTab; offset?: number; limit?: number }) {
      const who = await approverOf(principal);
      if (request.tab === 'all' && !who.admin) throw new ApiError('FORBIDDEN', `the All tab lists every task, which only admins may see; ${principal.name} is not an admin`);
      const offset = request.offset ?? 0;
      const limit = request.limit ?? 50;
      const { ids, total } = await database.transact(() => inboxPage(dialect, { tab: request.tab, who: peopleOf(who), offset, limit }));
      const [tasks, claims] = await Promise.all([Promise.all(ids.map((id) => deps.engine.task(id))), database.transact(() => claimsOf(dialect, ids))]);
      const claimed = new Map(claims.map((claim) => [claim.taskId, claim]));
      // The SQL narrows; the rule has the last word (a decided tab row is one's own decision, always shown).
      const shown = request.tab === 'decided' ? tasks : tasks.filter((task) => mayDecide(task, who));
      return {
        tab: request.tab,
        offset,
        limit,
        total,
        tasks: shown.map((task) => ({ ...taskView(task, principal, who), ...claimView(task.status === 'pending' ? claimed.get(task.id) : undefined) })),
      };
    },

    async counts(principal: Principal) {
      const who = await approverOf(principal);
      return database.transact(() => inboxCounts(dialect, peopleOf(who), who.admin === true));
    },

    /** Who handles a task (for its page): one who may see the task may see that. */
    async claimOf(principal: Principal, taskId: string) {
      const { task } = await decidable(principal, taskId);
      const [held] = task.status === 'pending' ? await database.transact(() => claimsOf(dialect, [taskId])) : [];
      return claimView(held);
    },

    /** Claim a pending task one may decide; refused while someone else holds it. */
    async claim(principal: Principal, taskId: string) {
      const { task, who } = await decidable(principal, taskId);
      if (task.status !== 'pending') throw new ApiError('CONFLICT', `approval "${taskId}" is already ${task.status.replace('_', ' ')}; only pending tasks are claimed`);
      const outcome = await database.transact(() => claimTask(dialect, { taskId, instanceId: task.instanceId, user: who.user, now: clock.now() }));
      if (!outcome.ok) {
        throw new ApiError('CONFLICT', `${outcome.held.username} has been handling approval "${taskId}" since ${iso(outcome.held.claimedAt)}; they (or an admin) may release it`, { claimedBy: outcome.held.username });
      }
      changed();
      return claimView(outcome.claim);
    },

    /** Release a claim: its holder, or an admin. */
    async unclaim(principal: Principal, taskId: string) {
      const { task, who } = await decidable(principal, taskId);
      const [held] = await database.transact(() => claimsOf(dialect, [taskId]));
      if (!held) throw new ApiError('CONFLICT', `approval "${taskId}" is not claimed`);
      if (held.username !== who.user && !who.admin) throw new ApiError('FORBIDDEN', `${held.username} holds approval "${taskId}"; only they or an admin may release it`);
      await database.transact(() => unclaimTask(dialect, { taskId, instanceId: task.instanceId, user: who.user, now: clock.now() }));
      changed();
      return claimView(undefined);
    },

    /** Hear claims made and released in this process; returns the way to stop. */
    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Decide each task on its own, in order, with the one comment; a refusal is reported and the others still go. */
    async decideMany(principal: Principal, request: { ids: string[]; decision: 'approve' | 'reject'; comment?: string }) {
      const results = [];
      for (const id of request.ids) {
        try {
          const task = await deps.approvals.decide(principal, id, { decision: request.decision, comment: request.comment });
          results.push({ id, ok: true as const, status: task.status, progress: task.progress });
        } catch (error) {
          if (!(error instanceof ApiError || error instanceof EngineError)) throw error;
          results.push({ id, ok: false as const, code: error.code, message: error.message });
        }
      }
      return { decided: results.filter((result) => result.ok).length, refused: results.filter((result) => !result.ok).length, results };
    },
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
