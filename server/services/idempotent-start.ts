// Starting a run with an Idempotency-Key, as Stripe does: the same key with the same input is the
// same run (200); the same key with another input is a conflict that names the key, so a client's
// bug is not silently answered with a run of somebody else's input.
import { ApiError } from '../errors.js';
import type { RunsService } from './runs.service.js';

/** JSON with object keys sorted and text made well-formed (as the store keeps it), for comparing values. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'string') return item.toWellFormed();
    if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
    const entries = Object.entries(item as Record<string, unknown>).map(([key, entry]) => [key.toWellFormed(), entry] as const);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

function sameJson(stored: unknown, sent: unknown): boolean {
  try {
    return canonicalJson(stored) === canonicalJson(sent);
  } catch {
    // Too deep to serialise: the sent input (HTTP bodies are at most 64 levels deep) cannot equal it.
    return false;
  }
}

/** `startedBy`: the signed-in user or token owner starting it (self-approval is refused to them). */
export async function startIdempotent(runs: RunsService, slug: string, input: unknown, key: string | undefined, traceparent?: string, startedBy?: string) {
  const started = await runs.start(slug, input, key, traceparent, startedBy);
  if (started.created || key === undefined) return started;
  const existing = await runs.get(started.id);
  if (!sameJson(existing.input, input ?? {})) {
    throw new ApiError('CONFLICT', `Idempotency-Key "${key}" was already used to start run ${started.id} with a different input; send a new key to start a new run`, {
      idempotencyKey: key,
      runId: started.id,
    });
  }
  return started;
}
