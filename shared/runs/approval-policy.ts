// An approval's policy as a task carries it, and THE quorum rule, shared by the engine (which takes
// the node's port), the stores (which close the task the moment it is settled, so a later decision
// is refused) and the inbox (which shows "1 of 2 approved"). The rule is a veto: the task is approved
// once `required` people have approved, and rejected by the first rejection. So "any" is the first
// answer, "all" needs every named user, N of M needs N approvals and no rejection. Each person counts
// once, whoever they act for.

export type QuorumMode = 'any' | 'all' | 'count';

export interface ApprovalPolicy {
  quorum: QuorumMode;
  /** Approvals needed: 1 for "any", the named users for "all", N for "count". Fixed when the task is made. */
  required: number;
  /** Users who may never decide this task (the run's starter, or the user the node's expression names). */
  forbidden: string[];
}

export const SINGLE_DECISION: ApprovalPolicy = { quorum: 'any', required: 1, forbidden: [] };

export interface Tally {
  approvals: number;
  rejections: number;
}

export type QuorumOutcome = 'approved' | 'rejected' | 'pending';

/** Whether the decisions so far settle the task. Monotone: adding decisions never unsettles it. */
export function quorumOutcome(policy: Pick<ApprovalPolicy, 'required'>, tally: Tally): QuorumOutcome {
  if (tally.rejections > 0) return 'rejected';
  if (tally.approvals >= policy.required) return 'approved';
  return 'pending';
}

export function tallyOf(decisions: readonly { decision: string }[]): Tally {
  return {
    approvals: decisions.filter((decision) => decision.decision === 'approved').length,
    rejections: decisions.filter((decision) => decision.decision === 'rejected').length,
  };
}

/** "1 of 2 approved", for the inbox and history. */
export function describeTally(policy: Pick<ApprovalPolicy, 'required'>, tally: Tally): string {
  const approved = `${tally.approvals} of ${policy.required} approved`;
  return tally.rejections > 0 ? `${approved}, ${tally.rejections} rejected` : approved;
}

/** The policy a task row holds (JSON); a task made before policies existed is a single decision. */
export function parsePolicy(json: string | null | undefined): ApprovalPolicy {
  if (!json) return SINGLE_DECISION;
  const parsed = JSON.parse(json) as Partial<ApprovalPolicy>;
  return { quorum: parsed.quorum ?? 'any', required: parsed.required ?? 1, forbidden: parsed.forbidden ?? [] };
}
