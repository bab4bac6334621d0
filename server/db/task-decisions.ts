// What both stores' decide share: whether this person has already decided the task (each person
// counts once — as themselves, or as the delegate of someone who has not been decided for), and the
// audit entry a decision appends.
import type { QuorumOutcome } from '../../shared/runs/approval-policy.js';
import type { TaskDecision } from '../engine/store.js';
import type { AuditDraft } from './audit-chain.js';

export function alreadyDecided(earlier: readonly { by: string; onBehalfOf: string | null }[], decision: TaskDecision): boolean {
  const counted = new Set(earlier.flatMap((vote) => [vote.by, vote.onBehalfOf ?? vote.by]));
  return counted.has(decision.by) || (decision.onBehalfOf !== undefined && counted.has(decision.onBehalfOf));
}

export function decisionEntry(decision: TaskDecision, instanceId: string, shownHash: string, outcome: QuorumOutcome): AuditDraft {
  return {
    at: decision.at,
    kind: 'decided',
    taskId: decision.taskId,
    instanceId,
    actor: decision.by,
    onBehalfOf: decision.onBehalfOf ?? null,
    data: { decision: decision.status, comment: decision.comment ?? null, form: decision.form ?? null, taskNow: outcome, ...(decision.via ? { via: decision.via } : {}) },
    shownHash,
  };
}
