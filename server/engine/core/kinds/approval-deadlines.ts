// An approval's deadlines, planned once on entry and kept with the token: reminders every X to those
// who have not decided, an escalation at T1, and at the end either the `timeout` port or an automatic
// decision at T2. The token holds one durable timer (purpose `timeout`), always set for the next of
// these moments; each firing does what is due, records it, and sets the timer for the next one.
import { durationMs } from '../../../../shared/durations.js';
import type { ApprovalConfig } from '../../../../shared/nodes/approval.node.js';
import type { Run } from '../run.js';
import type { Token } from '../types.js';

export interface Deadlines {
  remindEveryMs?: number;
  nextRemindAt?: number;
  escalateAt?: number;
  escalation?: { mode: 'add' | 'reassign'; to: { users: string[]; roles: string[] } };
  endAt?: number;
  /** What happens at `endAt`: the timeout port, or a decision made for everyone. */
  end?: 'timeout' | 'approved' | 'rejected';
}

export type Assignees = { users: string[]; roles: string[] };

/** Reminders per task: past this, a long wait with short intervals would only fill the run's history. */
export const MAX_REMINDERS = 100;

export function planDeadlines(config: ApprovalConfig, now: number): Deadlines {
  const plan: Deadlines = {};
  if (config.decideAfter) {
    plan.endAt = now + durationMs(config.decideAfter);
    // Never approve unless the author chose it: the automatic decision rejects by default.
    plan.end = config.autoDecision === 'approve' ? 'approved' : 'rejected';
  } else if (config.timeout) {
    plan.endAt = now + durationMs(config.timeout);
    plan.end = 'timeout';
  }
  if (config.remindEvery) {
    plan.remindEveryMs = durationMs(config.remindEvery);
    plan.nextRemindAt = now + plan.remindEveryMs;
  }
  if (config.escalateAfter && config.escalateTo) {
    plan.escalateAt = now + durationMs(config.escalateAfter);
    plan.escalation = { mode: config.escalation ?? 'add', to: { users: config.escalateTo.users ?? [], roles: config.escalateTo.roles ?? [] } };
  }
  // Nothing is done at or after the end: a reminder or escalation due then would be for a closed task.
  if (plan.endAt !== undefined) {
    if (plan.nextRemindAt !== undefined && plan.nextRemindAt >= plan.endAt) delete plan.nextRemindAt;
    if (plan.escalateAt !== undefined && plan.escalateAt >= plan.endAt) delete plan.escalateAt;
  }
  return plan;
}

/** Set the token's one timer for the next deadline moment, if any is left. */
export function armNext(run: Run, token: Token, plan: Deadlines): void {
  const next = [plan.nextRemindAt, plan.escalateAt, plan.endAt].filter((at): at is number => at !== undefined);
  if (next.length > 0) run.setTimer(token, 'timeout', Math.min(...next));
}

/** The escalation's new assignees: the targets added to the current ones, or in their place. */
export function escalated(current: Assignees, escalation: NonNullable<Deadlines['escalation']>): Assignees {
  if (escalation.mode === 'reassign') return { users: [...escalation.to.users], roles: [...escalation.to.roles] };
  return { users: [...new Set([...current.users, ...escalation.to.users])], roles: [...new Set([...current.roles, ...escalation.to.roles])] };
}

/** The next reminder after `now` (`sent` so far): missed ones (a worker was down) are not sent late in a burst. */
export function nextReminder(plan: Deadlines, now: number, sent: number): number | undefined {
  if (plan.nextRemindAt === undefined || plan.remindEveryMs === undefined || sent >= MAX_REMINDERS) return undefined;
  const missed = Math.floor((now - plan.nextRemindAt) / plan.remindEveryMs) + 1;
  const next = plan.nextRemindAt + Math.max(1, missed) * plan.remindEveryMs;
  return plan.endAt !== undefined && next >= plan.endAt ? undefined : next;
}
