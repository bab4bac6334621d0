// Delivering a callback URL's POST (DESIGN §6): the token must be one this server signed, unexpired,
// for a run that is still going and a wait that is not over, and not used before; then its body goes
// to the run's inbox as the signal only that wait takes (core/callbacks.ts). Early POSTs (the run has
// not reached the wait yet) are buffered like other signals.
import { callbackSignalName } from '../engine/core/callbacks.js';
import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import { FINISHED_STATUSES } from '../engine/core/types.js';
import { ApiError } from '../errors.js';
import { CallbackTokenError, verifyCallback } from './callback-token.js';

export interface CallbacksService {
  deliver(token: string, data: unknown): Promise<{ runId: string; nodeId: string; signalId: string }>;
}

export interface CallbacksDeps {
  /** Undefined when the process has no credentials key: every callback is then refused. */
  key: Buffer | undefined;
  engine: Pick<Engine, 'getRun' | 'signal'>;
  /** Whether the run's inbox already holds (or held) a signal of this name: the URL was used. */
  posted(runId: string, name: string): Promise<boolean>;
  clock: Clock;
}

export function createCallbacksService(deps: CallbacksDeps): CallbacksService {
  // One delivery per URL at a time in this process, so a second POST racing the first sees it as
  // used. Across processes a racing duplicate can still reach the inbox; the engine then finds the
  // wait over and keeps it in history only, so the run takes a callback's data exactly once.
  const inFlight = new Map<string, Promise<unknown>>();

  async function deliverOnce(token: string, data: unknown) {
    if (!deps.key) throw new ApiError('NOT_FOUND', 'callback URLs are off on this server: it has no credentials key (set CAIRN_SECRET_KEY)');
    let ref;
    try {
      ref = verifyCallback(deps.key, token);
    } catch (error) {
      if (!(error instanceof CallbackTokenError)) throw error;
      throw new ApiError('FORBIDDEN', `not a callback URL of this server: ${error.message}`);
    }
    if (deps.clock.now() > ref.expiresAt) throw new ApiError('CONFLICT', `this callback URL expired at ${new Date(ref.expiresAt).toISOString()}`);
    const run = await deps.engine.getRun(ref.runId);
    if (FINISHED_STATUSES.includes(run.status)) throw new ApiError('CONFLICT', `this callback URL's run has already ${run.status}`);
    const name = callbackSignalName(ref.nodeId, ref.visit);
    if (await deps.posted(ref.runId, name)) throw new ApiError('CONFLICT', 'this callback URL was already used; each one delivers once');
    const visits = run.state.visits[ref.nodeId] ?? 0;
    const waiting = run.state.tokens.some((token) => token.nodeId === ref.nodeId && token.visit === ref.visit && token.status === 'waiting');
    if (visits >= ref.visit && !waiting) {
      throw new ApiError('CONFLICT', `the wait this callback URL was made for (node "${ref.nodeId}", visit ${ref.visit}) is over: it timed out or received its signal`);
    }
    const { signalId } = await deps.engine.signal(ref.runId, name, data);
    return { runId: ref.runId, nodeId: ref.nodeId, signalId };
  }

  return {
    async deliver(token, data) {
      const before = inFlight.get(token) ?? Promise.resolve();
      const delivery = before.catch(() => undefined).then(() => deliverOnce(token, data));
      inFlight.set(token, delivery);
      try {
        return await delivery;
      } finally {
        if (inFlight.get(token) === delivery) inFlight.delete(token);
      }
    },
  };
}
