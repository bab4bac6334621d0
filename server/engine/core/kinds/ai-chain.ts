// What follows a failed model attempt (the AI node's contract): an unusable answer is repaired on the
// same model first; a rate limit, a server error or a time-out moves to the next model of the chain
// at once; only the last model left waits — a provider's Retry-After, up to the node's cap, on a
// durable timer — and retries; past its attempts the node gives up (a person, or `fallback`).
import { durationMs } from '../../../../shared/durations.js';
import type { AiConfig } from '../../../../shared/nodes/ai.node.js';

/** The AI token's plan, checkpointed in `token.resolved` so every attempt (and a recovery) sees it. */
export interface AiPlan {
  prompt: string;
  system?: string;
  /** Configured model names, in order; `modelIndex` is the one being asked, `modelAttempt` its attempt (from 1). */
  chain: string[];
  modelIndex: number;
  modelAttempt: number;
  /** Sent with the next attempt: the previous answer and its problems. */
  repair?: { answer: string; errors: string[] };
  /** The parsed answer with the fewest problems so far: what a person starts from. */
  best?: { value: unknown; errors: string[] };
  /** The last failure, for `fallback` and the person's task. */
  last?: { code: string; message: string; raw: string | null; errors: string[] };
  taskId?: string;
}

/** How a failure is answered, by what it says about the answer, the model and the provider. */
type FailureClass = 'answer' | 'model' | 'transient' | 'final';

export function classify(code: string, status: number | undefined): FailureClass {
  switch (code) {
    case 'NO_MODEL':
      return 'final';
    case 'MALFORMED_JSON':
    case 'SCHEMA_VIOLATION':
    case 'ANSWER_TOO_LARGE':
      return 'answer';
    // This model cannot be used as asked (not configured, refused the request, an oversized reply):
    // asking it again would get the same.
    case 'UNKNOWN_MODEL':
    case 'RESPONSE_TOO_LARGE':
      return 'model';
    case 'PROVIDER_ERROR':
      return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409 ? 'model' : 'transient';
    default:
      // RATE_LIMITED, TIMEOUT, ABORTED, INTERRUPTED, a network error: another try may well work.
      return 'transient';
  }
}

export type NextStep =
  | { kind: 'repair' }
  | { kind: 'nextModel' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'giveUp' };

export function nextStep(plan: AiPlan, config: AiConfig, failure: { code: string; status?: number; retryAfterMs?: number }): NextStep {
  const moreModels = plan.modelIndex + 1 < plan.chain.length;
  const attemptsLeft = plan.modelAttempt < config.maxAttempts;
  switch (classify(failure.code, failure.status)) {
    case 'final':
      return { kind: 'giveUp' };
    case 'answer':
      return attemptsLeft ? { kind: 'repair' } : moreModels ? { kind: 'nextModel' } : { kind: 'giveUp' };
    case 'model':
      return moreModels ? { kind: 'nextModel' } : { kind: 'giveUp' };
    case 'transient': {
      if (moreModels) return { kind: 'nextModel' };
      if (!attemptsLeft) return { kind: 'giveUp' };
      const asked = failure.retryAfterMs;
      const delayMs = typeof asked === 'number' && Number.isFinite(asked) && asked > 0 ? Math.min(asked, durationMs(config.maxRetryWait)) : 0;
      return { kind: 'retry', delayMs };
    }
  }
}

/** Move the plan on by the step `nextStep` chose (a retry stays on the same model, without a repair turn). */
export function advancePlan(plan: AiPlan, step: Exclude<NextStep, { kind: 'giveUp' }>, repair: { answer: string; errors: string[] }): void {
  if (step.kind === 'repair') {
    plan.modelAttempt += 1;
    plan.repair = repair;
  } else if (step.kind === 'nextModel') {
    plan.modelIndex += 1;
    plan.modelAttempt = 1;
    delete plan.repair;
  } else {
    plan.modelAttempt += 1;
    delete plan.repair;
  }
}

/** Keep `candidate` as the best attempt when it has no more problems than the one kept (later wins ties). */
export function better(best: AiPlan['best'], candidate: NonNullable<AiPlan['best']>): boolean {
  return best === undefined || candidate.errors.length <= best.errors.length;
}
