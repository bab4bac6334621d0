// Performs a `runAction` effect: validates the input with the action's schema, runs it with an
// AbortSignal, and turns a time-out (on the injected clock) or an error into a failed attempt.
import { tracedFetch, type ActionFetch } from '../../actions/http-client.js';
import type { ActionRegistry } from '../../actions/registry.js';
import type { ModelRequest } from '../../ai/model-client.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../clock.js';
import type { EffectMap } from '../core/types.js';
import type { CredentialSource } from '../../credentials/credential-source.js';
import { createAttemptScope, type AttemptOutcome } from './attempt-scope.js';
import { traceFields } from './trace-context.js';
import { toErrorInfo } from '../errors.js';
import { formatDuration } from '../../../shared/durations.js';
import { retryAfterMs } from '../../actions/retry-after.js';

/** `logs`: what the action wrote with ctx.log, for the run's history. */
export type { AttemptOutcome };

function failure(code: string, message: string, retryable: boolean): AttemptOutcome {
  return { ok: false, error: { name: retryable ? 'RetryableError' : 'NonRetryableError', code, message, retryable } };
}

/**
 * JSON round trip: what the checkpoint stores is exactly what later expressions will see. A value
 * JSON cannot hold (a cycle, a BigInt) fails the attempt here, naming the node, rather than the
 * checkpoint that would store it.
 */
function asJson(value: unknown, nodeId: string): AttemptOutcome {
  if (value === undefined) return { ok: true, output: null };
  if (typeof value === 'bigint') return failure('OUTPUT_NOT_JSON', `node "${nodeId}" output is a BigInt, which cannot be stored as JSON`, false);
  if (value === null || typeof value !== 'object') return { ok: true, output: typeof value === 'function' ? null : value };
  try {
    return { ok: true, output: JSON.parse(JSON.stringify(value)) };
  } catch (error) {
    return failure('OUTPUT_NOT_JSON', `node "${nodeId}" output cannot be stored as JSON: ${(error as Error).message.split('\n')[0]}`, false);
  }
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';

export interface AttemptHandle {
  outcome: Promise<AttemptOutcome>;
  /** Abort the attempt (the worker is stopping); it settles as a retryable failure. */
  abort(): void;
}

interface AttemptContext {
  readonly signal: AbortSignal;
}

function settled(outcome: AttemptOutcome): AttemptHandle {
  return { outcome: Promise.resolve(outcome), abort() {} };
}

/**
 * Run `perform` as one attempt: a time-out on the injected clock, and an abort for stopping.
 * `seal`, if given, turns whatever the attempt came to (a time-out and a stop too) into its outcome.
 */
export function runAttempt(
  identity: { nodeId: string; attempt: number; timeoutMs: number },
  clock: Clock,
  perform: (ctx: AttemptContext) => unknown,
  seal?: (outcome: AttemptOutcome) => AttemptOutcome,
): AttemptHandle {
  const running = new Attempt(identity, clock, seal);
  // The work starts after the caller's turn, as a microtask.
  queueMicrotask(() => running.perform(perform));
  return running;
}

// A class, not closures: one attempt per step adds up, and each closure made per attempt costs.
class Attempt implements AttemptHandle, AttemptContext {
  readonly outcome: Promise<AttemptOutcome>;
  private settle!: (outcome: AttemptOutcome) => void;
  // The controller is made only if the work reads the signal: most quick actions never do.
  private controller?: AbortController;
  private stoppedBecause?: string;
  private readonly deadline: number;

  constructor(
    private readonly identity: { nodeId: string; attempt: number; timeoutMs: number },
    private readonly clock: Clock,
    private readonly seal?: (outcome: AttemptOutcome) => AttemptOutcome,
  ) {
    this.outcome = new Promise<AttemptOutcome>((resolve) => (this.settle = resolve));
    this.deadline = clock.now() + identity.timeoutMs;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.stoppedBecause) this.controller.abort(new Error(this.stoppedBecause));
    }
    return this.controller.signal;
  }

  abort(): void {
    const { nodeId, attempt } = this.identity;
    this.stop(failure('ABORTED', `node "${nodeId}" attempt ${attempt} was aborted: the worker stopped`, true), 'the worker is stopping');
  }

  /**
   * Work that returns without a promise (a transform, a computation) settles here, without a chain
   * of promises — and without a timer: no time-out can interrupt synchronous work, so one is armed
   * only for a promise.
   */
  perform(perform: (ctx: AttemptContext) => unknown): void {
    let value: unknown;
    try {
      value = perform(this);
    } catch (error) {
      return this.resolve({ ok: false, error: toErrorInfo(error) });
    }
    const { nodeId } = this.identity;
    if (!isThenable(value)) return this.resolve(asJson(value, nodeId));
    // The clock may have passed the deadline before this microtask ran (a test's clock moved by hand).
    const cancelTimeout = this.clock.now() >= this.deadline ? (this.timedOut(), () => {}) : this.clock.schedule(this.deadline, () => this.timedOut());
    Promise.resolve(value)
      .then(
        (output) => this.resolve(asJson(output, nodeId)),
        (error: unknown) => this.resolve({ ok: false, error: toErrorInfo(error) }),
      )
      .finally(cancelTimeout);
  }

  private timedOut(): void {
    const { nodeId, attempt, timeoutMs } = this.identity;
    this.stop(failure('TIMEOUT', `node "${nodeId}" attempt ${attempt} timed out after ${formatDuration(timeoutMs)}`, true), 'timed out');
  }

  private stop(result: AttemptOutcome, reason: string): void {
    // Resolve before aborting, so the outcome is the time-out or stop, not the work's reaction.
    this.resolve(result);
    this.stoppedBecause ??= reason;
    this.controller?.abort(new Error(reason));
  }

  private resolve(outcome: AttemptOutcome): void {
    this.settle(this.seal ? this.seal(outcome) : outcome);
  }
}

/** One attempt of a step's action, its input checked against the action's schema first. */
export function actionAttempt(
  effect: EffectMap['runAction'],
  deps: { actions: ActionRegistry; clock: Clock; logger: Logger; instanceId: string; fetch: ActionFetch; credentials?: CredentialSource; traceparent?: () => string | undefined },
): AttemptHandle {
  const action = deps.actions.get(effect.action);
  if (!action) {
    // A version keeps naming the actions it was published with; a team action's module may be gone since.
    const message = `node "${effect.nodeId}": no action named "${effect.action}" is loaded; if it is a team action, its module is no longer in the actions folder (CAIRN_ACTIONS_DIR): put it back and retry the run`;
    return settled(failure('UNKNOWN_ACTION', message, false));
  }
  const parsed = action.input.safeParse(effect.input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
    const changed = action.module ? ` (the team action's module ${action.module.file} may have changed since this version was published)` : '';
    return settled(failure('INVALID_INPUT', `node "${effect.nodeId}" input for action "${effect.action}" is invalid: ${problems}${changed}`, false));
  }
  // The child logger is made on first use: one per attempt adds up.
  const scope = createAttemptScope({
    logger() {
      return deps.logger.child({ instanceId: deps.instanceId, nodeId: effect.nodeId, action: effect.action, ...traceFields(deps.traceparent?.()) });
    },
    credentials: deps.credentials,
    declared: action.credentials && { by: effect.action, nodeId: effect.nodeId, requirements: action.credentials, chosen: effect.credentials ?? {} },
  });
  return runAttempt(
    effect,
    deps.clock,
    (attempt) =>
      action.run(parsed.data, {
        idempotencyKey: effect.idempotencyKey,
        attempt: effect.attempt,
        // Getters and methods (not values made now): the fetch wrapper, the logger and the credential
        // reader are made only for an action that uses them; `log` works detached too (`const { log } = ctx`).
        get fetch() {
          return tracedFetch(deps.fetch, deps.traceparent);
        },
        get signal() {
          return attempt.signal;
        },
        get logger() {
          return scope.logger;
        },
        log(message, level) {
          scope.log(message, level);
        },
        get credentials() {
          return scope.credentials;
        },
      }),
    (outcome) => scope.seal(outcome),
  );
}

/** What the engine needs of a model client (server/ai/model-client.ts). */
export interface ModelCaller {
  /** `nodeId` and `attempt` say which AI node asks (a scenario's scripted answers are per node). */
  complete(request: ModelRequest & { nodeId?: string; attempt?: number }): Promise<unknown>;
}

const NO_MODEL = { ok: false, error: { code: 'NO_MODEL', message: 'no model configured' } };

/**
 * One model call of an AI node. The answer (or the provider's failure) is the attempt's output, with
 * the call's latency on the injected clock and a Retry-After read against that clock.
 */
export function modelAttempt(effect: EffectMap['callModel'], deps: { models?: ModelCaller; clock: Clock }): AttemptHandle {
  const { models, clock } = deps;
  if (!models) return settled({ ok: true, output: NO_MODEL });
  const { model, system, prompt, outputSchema, repair } = effect;
  const startedAt = clock.now();
  return runAttempt(effect, clock, async (attempt) => {
    const result = await models.complete({ model, system, prompt, outputSchema, ...(repair && { repair }), signal: attempt.signal, nodeId: effect.nodeId, attempt: effect.attempt });
    return measured(result, clock.now() - startedAt, clock.now());
  });
}

function measured(result: unknown, latencyMs: number, now: number): unknown {
  if (!result || typeof result !== 'object') return result;
  const error = (result as { error?: { retryAfter?: unknown } }).error;
  const retryAfter = error && typeof error.retryAfter === 'string' ? retryAfterMs(error.retryAfter, now) : undefined;
  return {
    ...result,
    latencyMs,
    ...(error && { error: { ...error, ...(retryAfter !== undefined && { retryAfterMs: retryAfter }) } }),
  };
}
