// Whether retrying a failed run can help: the one rule the engine's retry (REST, tRPC, CLI) and the
// run page's Retry button both follow. A retry re-enters the node the run failed at with the same
// graph and the same data, so failures that are decided by those alone would only happen again.

export interface RetryCandidate {
  status: string;
  error: { code?: string; nodeId?: string; compensated?: boolean } | null | undefined;
}

/**
 * Failure codes a retry would meet again: the run's own version and data decide them, not the world.
 * Step errors, ENGINE_ERROR, QUARANTINED, time-outs and the like are not here: their cause can go away.
 */
const RECURRING = new Map<string, string>(Object.entries({
  FAILED_BY_NODE: 'it ended at a fail node, which fails every run that reaches it; a retry would fail the same way',
  INVALID_INPUT: 'the step’s input does not satisfy the action’s input schema, and a retry would send the same input; fix the workflow, publish it and start a new run',
  INVALID_UNTIL: 'the wait’s “until” gave no date-time, and a retry would evaluate it again on the same data',
  VISIT_LIMIT: 'the node reached its limit of visits, and a retry would be one visit more',
}));

/** Why this run cannot usefully be retried, as a clause ("it …"); null when a retry can help. */
export function retryRefusal(run: RetryCandidate): string | null {
  if (run.status !== 'failed') return `it is ${run.status}; only a failed run can be retried`;
  const error = run.error ?? {};
  if (!error.nodeId) return `it did not fail at a node${error.code ? ` (${error.code})` : ''}; start a new run instead`;
  if (error.compensated !== undefined) return 'its compensations already ran; start a new run instead';
  return (error.code && RECURRING.get(error.code)) || null;
}
