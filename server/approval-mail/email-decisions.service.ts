// Deciding an approval from an e-mail's link: `look` (the GET) checks the link and shows what it would
// decide, changing nothing, so a mail scanner that opens every link decides nothing; `confirm` (the
// POST) decides as the link's person through the approvals service — the one rule (assignees,
// delegates, never the run's starter when self-approval is forbidden), the quorum, the audit log,
// which records the decision as made via e-mail. Refusals are ApiErrors naming why.
import { schemaViolations } from '../../shared/json-schema.js';
import { describeTally, tallyOf } from '../../shared/runs/approval-policy.js';
import type { Principal } from '../auth/principal.js';
import type { Clock } from '../engine/clock.js';
import { decidingAs, refusalOf, type Approver } from '../engine/engine.js';
import type { TaskRecord } from '../engine/store.js';
import { ApiError } from '../errors.js';
import { DecisionLinkError, verifyDecisionLink, type DecisionLink } from './decision-link.js';

export interface LinkUser {
  id: string;
  username: string;
  roles: string[];
  disabledAt: Date | null;
}

export interface EmailDecisionsDeps {
  /** Undefined when the process has no credentials key: every link is then refused. */
  key: Buffer | undefined;
  clock: Clock;
  findUser(username: string): Promise<LinkUser | undefined>;
  /** The engine's Approver for a principal (with whom they stand in for): the delegations service's. */
  approver(principal: Principal): Promise<Approver>;
  task(taskId: string): Promise<TaskRecord>;
  decide(principal: Principal, taskId: string, body: { decision: 'approve' | 'reject'; comment?: string; via: 'email' }): Promise<DecidedTask>;
}

/** A task as it stands after a decision. */
export interface DecidedTask {
  id: string;
  title: string;
  status: TaskRecord['status'];
  progress: string;
}

/** What the confirmation page shows. */
export interface LinkLook {
  link: DecisionLink;
  task: TaskRecord;
  /** "1 of 2 approved". */
  progress: string;
  /** Set when the link's person decides as someone's delegate. */
  onBehalfOf: string | null;
}

const COMMENT_LIMIT = 10_000;
const iso = (at: number) => new Date(at).toISOString();

export function createEmailDecisionsService(deps: EmailDecisionsDeps) {
  function readLink(token: string): DecisionLink {
    if (!deps.key) throw new ApiError('NOT_FOUND', 'decision links are off on this server: it has no credentials key (set CAIRN_SECRET_KEY)');
    try {
      return verifyDecisionLink(deps.key, token);
    } catch (error) {
      if (!(error instanceof DecisionLinkError)) throw error;
      throw new ApiError('FORBIDDEN', `this is not a decision link of this server: ${error.message}`);
    }
  }

  async function principalOf(link: DecisionLink): Promise<{ principal: Principal; who: Approver }> {
    const user = await deps.findUser(link.user);
    if (!user) throw new ApiError('FORBIDDEN', `this link was made for ${link.user}, who is no longer a user here`);
    if (user.disabledAt) throw new ApiError('FORBIDDEN', `this link was made for ${link.user}, whose account is disabled`);
    const principal: Principal = { kind: 'user', name: user.username, userId: user.id, roles: user.roles };
    return { principal, who: await deps.approver(principal) };
  }

  /** Every check a decision will meet, in the order a person understands them; nothing is written. */
  async function check(token: string): Promise<LinkLook & { principal: Principal }> {
    const link = readLink(token);
    if (deps.clock.now() > link.expiresAt) {
      throw new ApiError('CONFLICT', `this link expired at ${iso(link.expiresAt)}; open the task in Cairn to decide it, or wait for the next reminder`);
    }
    const task = await deps.task(link.taskId).catch((error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'NOT_FOUND') throw new ApiError('NOT_FOUND', 'the task this link was made for no longer exists');
      throw error;
    });
    const own = task.decisions.find((vote) => vote.by === link.user || vote.onBehalfOf === link.user);
    if (own) {
      const as = own.by === link.user ? (own.onBehalfOf ? ` on behalf of ${own.onBehalfOf}` : '') : ` (${own.by} on your behalf)`;
      throw new ApiError('CONFLICT', `this link has been used: ${link.user}${as} already ${own.decision} this task at ${iso(own.at)}; each person decides once`);
    }
    if (task.status !== 'pending') {
      const by = task.decidedBy ? ` by ${task.decidedBy}${task.decidedAt ? ` at ${iso(task.decidedAt)}` : ''}` : '';
      throw new ApiError('CONFLICT', `this task is already ${task.status.replace('_', ' ')}${by}; nothing is left to decide`);
    }
    const { principal, who } = await principalOf(link);
    const acting = decidingAs(task, who);
    if (!acting) throw new ApiError('FORBIDDEN', refusalOf(task, who));
    if (link.decision === 'approve' && task.form && schemaViolations(task.form, {}).length > 0) {
      throw new ApiError('CONFLICT', 'this approval asks for a form to be filled in, which an e-mail cannot do: open the task in Cairn to approve it');
    }
    return { link, task, principal, progress: describeTally(task.policy, tallyOf(task.decisions)), onBehalfOf: acting.onBehalfOf ?? null };
  }

  return {
    /** The GET: what the link would decide, or why it cannot. Changes nothing. */
    async look(token: string): Promise<LinkLook> {
      const { principal: _principal, ...look } = await check(token);
      return look;
    },
    /** The POST: decide as the link's person, through the same rule as the web app (audit: via e-mail). */
    async confirm(token: string, comment: string | undefined): Promise<{ link: DecisionLink; task: DecidedTask }> {
      if (comment !== undefined && comment.length > COMMENT_LIMIT) {
        throw new ApiError('INVALID_INPUT', `comment must be at most ${COMMENT_LIMIT.toLocaleString('en')} characters`);
      }
      const { link, principal } = await check(token);
      const task = await deps.decide(principal, link.taskId, { decision: link.decision, comment: comment?.trim() ? comment.trim() : undefined, via: 'email' });
      return { link, task };
    },
  };
}

export type EmailDecisionsService = ReturnType<typeof createEmailDecisionsService>;
