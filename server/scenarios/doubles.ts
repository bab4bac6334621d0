// A scenario's stand-ins: stubbed actions and nodes (a result, an error, or one per attempt) and the
// AI nodes' scripted answers. Every registered action is wrapped, so a stub set by a later step takes
// effect from then on; actions with no stub run for real (their input is still checked first).
import { z } from 'zod';
import type { AiOutcome, StubOutcome } from '../../shared/scenarios/scenario.schema.js';
import { ActionRegistry, type ActionDefinition } from '../actions/registry.js';
import { NonRetryableError, RetryableError } from '../engine/errors.js';
import type { ModelCaller } from '../engine/runner/action-runner.js';

/** `<instanceId>:<nodeId>:<visit>` (DESIGN §3); compensations end in `:compensate` and are not the node's own action. */
const KEY = /:([A-Za-z_][A-Za-z0-9_-]*):(\d+)(:compensate)?$/;

function nodeOf(idempotencyKey: string): string | undefined {
  const match = KEY.exec(idempotencyKey);
  return match && !match[3] ? match[1] : undefined;
}

/** The outcome for attempt `attempt` (from 1): the last one repeats. */
const pick = <T>(outcomes: readonly T[], attempt: number): T => outcomes[Math.min(Math.max(attempt, 1), outcomes.length) - 1];

function perform(outcome: StubOutcome): unknown {
  if ('result' in outcome) return outcome.result ?? null;
  const error = typeof outcome.error === 'string' ? { message: outcome.error } : outcome.error;
  if (error.retryable === false) throw new NonRetryableError(error.message, { code: error.code ?? 'STUBBED_ERROR' });
  throw new RetryableError(error.message, { code: error.code ?? 'STUBBED_ERROR' });
}

export class ScenarioDoubles {
  private readonly actionStubs = new Map<string, StubOutcome[]>();
  private readonly nodeStubs = new Map<string, StubOutcome[]>();
  private readonly answers = new Map<string, AiOutcome[]>();

  stubAction(action: string, outcomes: StubOutcome[]): void {
    this.actionStubs.set(action, outcomes);
  }

  stubNode(nodeId: string, outcomes: StubOutcome[]): void {
    this.nodeStubs.set(nodeId, outcomes);
  }

  answer(nodeId: string, outcomes: AiOutcome[]): void {
    this.answers.set(nodeId, outcomes);
  }

  /**
   * `base`'s actions, each consulting the stubs first, plus a stand-in (any input) for each name in
   * `extra` that `base` lacks: a stubbed action need not be installed where the scenario runs.
   */
  registry(base: ActionRegistry, extra: readonly string[]): ActionRegistry {
    const wrap = (action: ActionDefinition): ActionDefinition => ({
      ...action,
      run: (input, ctx) => {
        const nodeId = nodeOf(ctx.idempotencyKey);
        const stub = (nodeId !== undefined ? this.nodeStubs.get(nodeId) : undefined) ?? this.actionStubs.get(action.name);
        return stub ? perform(pick(stub, ctx.attempt)) : action.run(input, ctx);
      },
    });
    const standIn = (name: string): ActionDefinition => ({
      name,
      description: `stand-in for "${name}": only its stubs answer`,
      input: z.unknown(),
      run: () => {
        throw new NonRetryableError(`action "${name}" is not installed here and has no stub for this call`, { code: 'UNKNOWN_ACTION' });
      },
    });
    const names = base.names();
    return new ActionRegistry([...names.map((name) => wrap(base.get(name)!)), ...[...new Set(extra)].filter((name) => !names.includes(name)).map((name) => wrap(standIn(name)))]);
  }

  /** Answers AI nodes from the script; a node with no answer gets "no model configured", as a server without a model would. */
  readonly models: ModelCaller = {
    complete: async (request) => {
      const outcomes = request.nodeId === undefined ? undefined : this.answers.get(request.nodeId);
      if (!outcomes) return { ok: false, error: { code: 'NO_MODEL', message: `no model configured (the scenario gives node "${request.nodeId}" no answer)` } };
      const outcome = pick(outcomes, request.attempt ?? 1);
      if ('error' in outcome) return { ok: false, error: { code: 'PROVIDER_ERROR', message: outcome.error } };
      return { ok: true, text: 'raw' in outcome ? outcome.raw : JSON.stringify(outcome.answer ?? null), modelId: 'scenario' };
    },
  };
}
