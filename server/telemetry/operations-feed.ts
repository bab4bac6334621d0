// What the Operations page shows (issue 18): the process's counters and the database gauges, sampled
// over time into a ring the page charts — throughput, failures and retries, timer lag, the oldest
// pending approval and runs by state. A sample is taken when the page asks and at least `everyMs`
// has passed since the last (so any number of open pages cost one sample per interval).
import type { Clock } from '../engine/clock.js';
import type { OperationsSnapshot } from '../db/operations.repo.js';
import type { Metrics } from './metrics.js';

export interface OperationsSample {
  /** Engine clock time of the sample (epoch ms). */
  at: number;
  /** Running totals since this process started. */
  started: number;
  completed: number;
  failed: number;
  cancelled: number;
  attemptsFailed: number;
  retries: number;
  /** Timers fired and their total lag (seconds): the mean lag between samples is Δsum ÷ Δcount. */
  timersFired: number;
  timerLagSeconds: number;
  timerBacklog: number;
  oldestPendingApprovalSeconds: number;
  pendingApprovals: number;
  runsByStatus: Record<string, number>;
}

async function total(metric: { get(): Promise<{ values: { value: number; labels: Record<string, unknown>; metricName?: string }[] }> }, match: (labels: Record<string, unknown>, name?: string) => boolean = () => true): Promise<number> {
  return (await metric.get()).values.filter((entry) => match(entry.labels, entry.metricName)).reduce((sum, entry) => sum + entry.value, 0);
}

export function createOperationsFeed(deps: { metrics: Metrics; snapshot: () => Promise<OperationsSnapshot>; clock: Pick<Clock, 'now'>; everyMs?: number; keep?: number }) {
  const everyMs = deps.everyMs ?? 2_000;
  const keep = deps.keep ?? 300;
  const samples: OperationsSample[] = [];
  let lastWall = -Infinity;
  let taking: Promise<void> | undefined;

  async function sample(): Promise<void> {
    const c = deps.metrics.counters;
    const snapshot = await deps.snapshot();
    const finished = (status: string) => total(c.runsFinished, (labels) => labels.status === status);
    const next: OperationsSample = {
      at: deps.clock.now(),
      started: await total(c.runsStarted),
      completed: await finished('completed'),
      failed: await finished('failed'),
      cancelled: await finished('cancelled'),
      attemptsFailed: await total(c.attempts, (labels) => labels.outcome === 'failed'),
      retries: await total(c.retries),
      timersFired: await total(c.timerLag, (_, name) => name === 'cairn_timer_lag_seconds_count'),
      timerLagSeconds: await total(c.timerLag, (_, name) => name === 'cairn_timer_lag_seconds_sum'),
      timerBacklog: snapshot.timerBacklog,
      oldestPendingApprovalSeconds: snapshot.oldestPendingApprovalSeconds,
      pendingApprovals: Object.values(snapshot.pendingApprovals).reduce((sum, n) => sum + n, 0),
      runsByStatus: snapshot.runsByStatus,
    };
    samples.push(next);
    if (samples.length > keep) samples.splice(0, samples.length - keep);
  }

  return {
    /** The samples so far (oldest first), after taking a new one if the last is older than `everyMs`. */
    async overview(): Promise<{ everyMs: number; samples: OperationsSample[] }> {
      const wall = performance.now();
      if (wall - lastWall >= everyMs) {
        lastWall = wall;
        taking = sample().finally(() => (taking = undefined));
      }
      await taking;
      return { everyMs, samples: [...samples] };
    },
  };
}

export type OperationsFeed = ReturnType<typeof createOperationsFeed>;
