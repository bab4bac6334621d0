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

export function runAttempt(
  effect: EffectMap['runAction'],
  deps: { actions: ActionRegistry; clock: Clock; logger: Logger; controller: AbortController; instanceId: string },
): Promise<AttemptOutcome> {
  const action = deps.actions.get(effect.action);
  if (!action) return Promise.resolve(failure('UNKNOWN_ACTION', `node "${effect.nodeId}": no action named "${effect.action}" is registered`, false));
  const parsed = action.input.safeParse(effect.input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
    return Promise.resolve(failure('INVALID_INPUT', `node "${effect.nodeId}" input for action "${effect.action}" is invalid: ${problems}`, false));
  }

  const { controller } = deps;
  return new Promise<AttemptOutcome>((resolve) => {
    const cancelTimeout = deps.clock.schedule(deps.clock.now() + effect.timeoutMs, () => {
      // Resolve before aborting: the abort listener below would otherwise report "aborted".
      resolve(failure('TIMEOUT', `node "${effect.nodeId}" attempt ${effect.attempt} timed out after ${formatDuration(effect.timeoutMs)}`, true));
      controller.abort(new Error('timed out'));
    });
    controller.signal.addEventListener('abort', () => resolve(failure('ABORTED', `node "${effect.nodeId}" attempt ${effect.attempt} was aborted: the worker stopped`, true)), { once: true });
    let logger: Logger | undefined;
    const ctx = {
      idempotencyKey: effect.idempotencyKey,
      attempt: effect.attempt,
      signal: controller.signal,
      // Made on first use: most actions never log, and a child logger per attempt adds up.
      get logger() {
        return (logger ??= deps.logger.child({ instanceId: deps.instanceId, nodeId: effect.nodeId, action: effect.action }));
      },
    };
    Promise.resolve()
      .then(() => action.run(parsed.data, ctx))
      .then(
        (output) => resolve({ ok: true, output: asJson(output) }),
        (error: unknown) => resolve({ ok: false, error: toErrorInfo(error) }),
      )
      .finally(cancelTimeout);
  });
}
