// A run's status (DESIGN §3: pending → running ⇄ waiting → completed | failed | cancelled), as the
// engine stores it and every screen shows it. Two more are an operator's: `queued` (started beyond
// its workflow's concurrency limit, admitted in start order as others finish) and `paused` (does
// nothing until resumed: due timers wait, signals and decisions are kept, no attempt starts).

export const RUN_STATUSES = ['queued', 'pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses a run never leaves: it takes no more signals, cancels or decisions. */
export const FINISHED_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

/**
 * The runs a workflow's concurrency limit counts: started and not finished. A paused run keeps its
 * place (resuming it must not pass the limit); a queued run is waiting for one.
 */
export const IN_FLIGHT_STATUSES: readonly RunStatus[] = ['pending', 'running', 'waiting', 'paused'];

/** Takes any text (a filter, a stored row) so callers need not narrow first. */
export const isFinished = (status: string): boolean => (FINISHED_STATUSES as readonly string[]).includes(status);

/** What an operator may do to a run in `status` (the run page's and runs list's buttons, REST). */
export const mayPause = (status: string): boolean => status === 'pending' || status === 'running' || status === 'waiting';
export const mayResume = (status: string): boolean => status === 'paused';
