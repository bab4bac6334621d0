// The Operations page's arithmetic, kept out of the component: per-minute rates between samples
// (counters are running totals), mean timer lag between samples, and the latest state counts.
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../server/api/trpc/router.js';

export type OperationsSample = inferRouterOutputs<AppRouter>['monitor']['overview']['samples'][number];

type Counter = 'started' | 'completed' | 'failed' | 'cancelled' | 'attemptsFailed' | 'retries';

/** Events per minute between each sample and the one before (null for the first, or after a restart). */
export function perMinute(samples: OperationsSample[], counter: Counter): (number | null)[] {
  return samples.map((sample, index) => {
    const before = samples[index - 1];
    if (!before || sample.at <= before.at) return null;
    const delta = sample[counter] - before[counter];
    return delta < 0 ? null : (delta * 60_000) / (sample.at - before.at);
  });
}

/** Mean lag (seconds) of the timers fired between each sample and the one before; 0 when none fired. */
export function meanLag(samples: OperationsSample[]): (number | null)[] {
  return samples.map((sample, index) => {
    const before = samples[index - 1];
    if (!before) return null;
    const fired = sample.timersFired - before.timersFired;
    return fired > 0 ? (sample.timerLagSeconds - before.timerLagSeconds) / fired : 0;
  });
}

export const STATES = ['queued', 'pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'] as const;

export function formatAge(seconds: number): string {
  if (seconds <= 0) return 'none pending';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
