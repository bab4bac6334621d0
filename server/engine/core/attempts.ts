// Attempts of an action, shared by steps and their compensations: start an attempt (checkpointed
// before it runs), and on failure either schedule the next one on a durable timer or give up.
import { durationMs, MAX_DURATION_MS } from '../../../shared/durations.js';
import type { RetryConfig } from '../../../shared/nodes/step.node.js';
import { maxAttempts, retryDelayMs, retryPolicy, type RetryPolicy } from './backoff.js';
import type { Run } from './run.js';
import type { ErrorInfo, Token } from './types.js';

export interface AttemptPlan {
  action: string;
  input: unknown;
}

interface StepSettings {
  retry?: RetryConfig;
  timeout: string;
  credentials?: Record<string, string>;
  compensate?: { credentials?: Record<string, string> };
}

function settings(run: Run, token: Token): StepSettings {
  return run.node(token.nodeId).config as unknown as StepSettings;
}

export function startAttempt(run: Run, token: Token): void {
  const plan = token.resolved as unknown as AttemptPlan;
  const attempt = token.attempt ?? 1;
  const idempotencyKey = run.idempotencyKey(token);
  // Names from the version's graph, never values: resolved by the runner when the attempt runs.
  const step = settings(run, token);
  const credentials = token.compensating ? step.compensate?.credentials : step.credentials;
  token.status = 'running';
  token.attempt = attempt;
  // A retry timer that led here has fired; the runner deletes its row with this checkpoint.
  delete token.until;
  delete token.timer;
  run.record({
    type: token.compensating ? 'compensationAttemptStarted' : 'stepAttemptStarted',
    nodeId: token.nodeId,
    visit: token.visit,
    attempt,
    data: { action: plan.action, idempotencyKey },
  });
  run.effect({
    type: 'runAction',
    tokenId: token.id,
    nodeId: token.nodeId,
    visit: token.visit,
    attempt,
    action: plan.action,
    input: plan.input,
    idempotencyKey,
    timeoutMs: durationMs(step.timeout),
    ...(credentials && Object.keys(credentials).length > 0 ? { credentials } : {}),
  });
}

/** Returns true when another attempt was scheduled; false when the attempts are used up. */
export function retryAfterFailure(run: Run, token: Token, error: ErrorInfo): boolean {
  const attempt = token.attempt ?? 1;
  const policy = retryPolicy(settings(run, token).retry);
  const willRetry = error.retryable && attempt < maxAttempts(policy);
  const delay = willRetry ? Math.max(retryDelayMs(policy, attempt, `${run.idempotencyKey(token)}#${attempt}`), honouredRetryAfter(policy, error.retryAfterMs)) : 0;
  run.record({
    type: token.compensating ? 'compensationAttemptFailed' : 'stepAttemptFailed',
    nodeId: token.nodeId,
    visit: token.visit,
    attempt,
    data: { error, ...(willRetry ? { retryAt: run.isoTime(run.ctx.now + delay) } : {}) },
  });
  if (!willRetry) return false;
  token.status = 'backoff';
  token.attempt = attempt + 1;
  run.setTimer(token, 'retry', run.ctx.now + delay);
  return true;
}

/**
 * A source's Retry-After is honoured up to the step's maxInterval (a `delays` policy: its longest
 * delay), never beyond a year; a value that is not a finite, non-negative number is ignored.
 */
function honouredRetryAfter(policy: RetryPolicy, retryAfterMs: number | undefined): number {
  if (typeof retryAfterMs !== 'number' || !Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return 0;
  const cap = policy.kind === 'backoff' ? policy.maxMs : Math.max(0, ...policy.delaysMs);
  return Math.min(retryAfterMs, cap, MAX_DURATION_MS);
}

/** A retry timer fired: run the next attempt. */
export function resumeAfterBackoff(run: Run, token: Token): void {
  if (token.status !== 'backoff') return;
  startAttempt(run, token);
}
