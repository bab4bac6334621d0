// Gauges read from the database when /metrics is scraped (issue 18). One snapshot serves every
// gauge of a scrape; scrapes that overlap share one read, and a scrape within a second of the last
// reuses it unless a checkpoint was committed or the clock moved since — so idle scrapers cost
// nothing, and busy ones at most one set of index scans per scrape.
import { Gauge, type Registry } from 'prom-client';
import type { OperationsSnapshot } from '../db/operations.repo.js';

export interface SnapshotSource {
  snapshot(now: number): Promise<OperationsSnapshot>;
}

export function cachedSnapshots(source: SnapshotSource, now: () => number, changes: () => number, minIntervalMs = 1_000) {
  let last: { at: number; changes: number; wall: number; value: Promise<OperationsSnapshot> } | undefined;
  return (): Promise<OperationsSnapshot> => {
    const wall = performance.now();
    if (last && wall - last.wall < minIntervalMs && last.at === now() && last.changes === changes()) return last.value;
    const value = source.snapshot(now());
    last = { at: now(), changes: changes(), wall, value };
    value.catch(() => (last = undefined));
    return value;
  };
}

export function registerDatabaseGauges(registry: Registry, snapshot: () => Promise<OperationsSnapshot>): void {
  const gauge = (name: string, help: string, labelNames: string[], read: (value: OperationsSnapshot, set: (labels: Record<string, string>, n: number) => void) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const value = await snapshot();
        this.reset();
        read(value, (labels, n) => this.set(labels, n));
      },
    });
  gauge('cairn_timer_backlog', 'Timers due but not fired yet.', [], (s, set) => set({}, s.timerBacklog));
  gauge('cairn_pending_approvals', 'Pending approval tasks, by age bucket.', ['age'], (s, set) => {
    for (const [age, n] of Object.entries(s.pendingApprovals)) set({ age }, n);
  });
  gauge('cairn_oldest_pending_approval_age_seconds', 'Age of the oldest pending approval task (0 when none).', [], (s, set) => set({}, s.oldestPendingApprovalSeconds));
  gauge('cairn_runs_waiting', 'Waiting runs, by kind of wait (a run waiting on two kinds counts in both).', ['kind'], (s, set) => {
    for (const [kind, n] of Object.entries(s.waitingByKind)) set({ kind }, n);
  });
  gauge('cairn_runs', 'Runs, by status.', ['status'], (s, set) => {
    for (const [status, n] of Object.entries(s.runsByStatus)) set({ status }, n);
  });
}
