// Performs a `runAction` effect: validates the input with the action's schema, runs it with an
// AbortSignal, and turns a time-out (on the injected clock) or an error into a failed attempt.
import type { ActionRegistry } from '../actions/registry.js';
import type { Logger } from '../logger.js';
import type { Clock } from './clock.js';
import type { EffectMap, ErrorInfo } from './core/types.js';
import { toErrorInfo } from './errors.js';
import { formatDuration } from '../../shared/durations.js';

export type AttemptOutcome = { ok: true; output: unknown } | { ok: false; error: ErrorInfo };

function failure(code: string, message: string, retryable: boolean): AttemptOutcome {
  return { ok: false, error: { name: retryable ? 'RetryableError' : 'NonRetryableError', code, message, retryable } };
}

/** JSON round trip: what the checkpoint stores is exactly what later expressions will see. */
function asJson(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  return JSON.parse(JSON.stringify(value));
}

export interface AttemptHandle {
  outcome: Promise<AttemptOutcome>;
  /** Abort the attempt (the worker is stopping); it settles as a retryable failure. */
  abort(): void;
}

export function runAttempt(
  effect: EffectMap['runAction'],
  deps: { actions: ActionRegistry; clock: Clock; logger: Logger; instanceId: string },
): AttemptHandle {
  const settled = (outcome: AttemptOutcome): AttemptHandle => ({ outcome: Promise.resolve(outcome), abort() {} });
  const action = deps.actions.get(effect.action);
  if (!action) return settled(failure('UNKNOWN_ACTION', `node "${effect.nodeId}": no action named "${effect.action}" is registered`, false));
  const parsed = action.input.safeParse(effect.input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
    return settled(failure('INVALID_INPUT', `node "${effect.nodeId}" input for action "${effect.action}" is invalid: ${problems}`, false));
  }

  let resolveOutcome!: (outcome: AttemptOutcome) => void;
  const outcome = new Promise<AttemptOutcome>((resolve) => (resolveOutcome = resolve));
  // The controller is made only if the action reads ctx.signal: most quick actions never do.
  let controller: AbortController | undefined;
  let stoppedBecause: string | undefined;
  const stop = (result: AttemptOutcome, reason: string) => {
    // Resolve before aborting, so the outcome is the time-out or stop, not the action's reaction.
    resolveOutcome(result);
    stoppedBecause ??= reason;
    controller?.abort(new Error(reason));
  };
  const cancelTimeout = deps.clock.schedule(deps.clock.now() + effect.timeoutMs, () =>
    stop(failure('TIMEOUT', `node "${effect.nodeId}" attempt ${effect.attempt} timed out after ${formatDuration(effect.timeoutMs)}`, true), 'timed out'),
  );
  let logger: Logger | undefined;
  const ctx = {
    idempotencyKey: effect.idempotencyKey,
    attempt: effect.attempt,
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (stoppedBecause) controller.abort(new Error(stoppedBecause));
      }
      return controller.signal;
    },
    // Made on first use too: a child logger per attempt adds up.
    get logger() {
      return (logger ??= deps.logger.child({ instanceId: deps.instanceId, nodeId: effect.nodeId, action: effect.action }));
    },
  };
  Promise.resolve()
    .then(() => action.run(parsed.data, ctx))
    .then(
      (output) => resolveOutcome({ ok: true, output: asJson(output) }),
      (error: unknown) => resolveOutcome({ ok: false, error: toErrorInfo(error) }),
    )
    .finally(cancelTimeout);
  return {
    outcome,
    abort: () => stop(failure('ABORTED', `node "${effect.nodeId}" attempt ${effect.attempt} was aborted: the worker stopped`, true), 'the worker is stopping'),
  };
}
