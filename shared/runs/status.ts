// A run's status (DESIGN §3: pending → running ⇄ waiting → completed | failed | cancelled), as the
// engine stores it and every screen shows it.

export const RUN_STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses a run never leaves: it takes no more signals, cancels or decisions. */
export const FINISHED_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

/** Takes any text (a filter, a stored row) so callers need not narrow first. */
export const isFinished = (status: string): boolean => (FINISHED_STATUSES as readonly string[]).includes(status);
