// Retry policy arithmetic (DESIGN §3). Jitter is drawn from a hash of the attempt's identity, not
// Math.random, so a transition replayed from the same checkpoint schedules the same timer.
import { durationMs } from '../../../shared/durations.js';
import { RETRY_DEFAULTS, type RetryConfig } from '../../../shared/nodes/step.node.js';

export type RetryPolicy =
  | { kind: 'delays'; delaysMs: number[] }
  | { kind: 'backoff'; maxAttempts: number; initialMs: number; coefficient: number; maxMs: number; jitter: number };

export function retryPolicy(config: RetryConfig | undefined): RetryPolicy {
  if (config?.delays) return { kind: 'delays', delaysMs: config.delays.map(durationMs) };
  return {
    kind: 'backoff',
    maxAttempts: config?.maxAttempts ?? RETRY_DEFAULTS.maxAttempts,
    initialMs: durationMs(config?.initialInterval ?? RETRY_DEFAULTS.initialInterval),
    coefficient: config?.backoffCoefficient ?? RETRY_DEFAULTS.backoffCoefficient,
    maxMs: durationMs(config?.maxInterval ?? RETRY_DEFAULTS.maxInterval),
    jitter: config?.jitter ?? RETRY_DEFAULTS.jitter,
  };
}

export function maxAttempts(policy: RetryPolicy): number {
  return policy.kind === 'delays' ? policy.delaysMs.length + 1 : policy.maxAttempts;
}

/** The wait after `failedAttempt` (1-based) before the next attempt; `seed` identifies the attempt. */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number, seed: string): number {
  if (policy.kind === 'delays') return policy.delaysMs[failedAttempt - 1];
  const base = Math.min(policy.initialMs * policy.coefficient ** (failedAttempt - 1), policy.maxMs);
  const spread = policy.jitter * (2 * unitHash(seed) - 1);
  return Math.max(0, Math.round(base * (1 + spread)));
}

/** FNV-1a over the seed, mapped to [0, 1). */
export function unitHash(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}
