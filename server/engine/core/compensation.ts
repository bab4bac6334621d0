// Saga compensation: after a run fails, undo completed steps in reverse order of completion, each
// with its step's retry policy, then end the run failed with `compensated` (DESIGN §3).
import { startAttempt, retryAfterFailure } from './attempts.js';
import type { Run } from './run.js';
import type { ErrorInfo, Token } from './types.js';

/** Start the next pending compensation, or end the run when none is left. */
export function continueCompensation(run: Run): void {
  const compensation = run.state.compensation;
  if (!compensation || run.state.tokens.length > 0) return;
  const next = compensation.remaining.shift();
  if (!next) {
    const failed = compensation.failed;
    run.finish({ ...compensation.cause, compensated: failed.length === 0, ...(failed.length ? { compensationsFailed: failed } : {}) });
    return;
  }
  const token = run.newToken(next.nodeId, {
    visit: next.visit,
    compensating: true,
    attempt: 1,
    resolved: { action: next.action, input: next.input },
  });
  startAttempt(run, token);
}

export function compensationSucceeded(run: Run, token: Token, output: unknown): void {
  run.record({ type: 'compensationCompleted', nodeId: token.nodeId, visit: token.visit, attempt: token.attempt, data: { output } });
  run.removeToken(token);
}

export function compensationFailed(run: Run, token: Token, error: ErrorInfo): void {
  if (retryAfterFailure(run, token, error)) return;
  run.record({ type: 'compensationFailed', nodeId: token.nodeId, visit: token.visit, attempt: token.attempt, data: { error } });
  run.state.compensation?.failed.push({ nodeId: token.nodeId, visit: token.visit, error });
  run.removeToken(token);
}
