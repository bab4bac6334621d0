// What the worker asks of schedules (server/triggers/schedule-firer.ts implements it): to start the
// runs of the ticks due now, and when the next one is due, so its one sleep covers them too.
import type { StartedRun, StartRunRequest } from './start-run.js';

export interface ScheduleTicks {
  /** Claim the due ticks for `owner` (a lease of `leaseMs`) and start their runs; returns how many started. */
  fireDue(now: number, worker: { owner: string; leaseMs: number; start: (request: StartRunRequest) => Promise<StartedRun> }): Promise<number>;
  /** When a tick (or a claim on one that may lapse) is next due; null without schedules. */
  nextDueAt(): Promise<number | null>;
}
