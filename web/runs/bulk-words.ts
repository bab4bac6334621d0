// The words for each bulk action (the bar's buttons, the confirmation, the progress): one row per
// action of the server's list, so a new action fails the type check until it has its words.
import type { BulkAction } from './run-types.js';

export const BULK_WORDS: Record<BulkAction, { verb: string; doing: string; done: string; note: string }> = {
  cancel: { verb: 'Cancel', doing: 'Cancelling', done: 'Cancelled', note: 'Each run stops at once, its waits and open approvals with it; child runs are cancelled too. Runs already finished are skipped.' },
  retry: { verb: 'Retry', doing: 'Retrying', done: 'Retried', note: 'Each failed run runs again from the node it failed at. Runs that did not fail, or cannot be retried, are skipped.' },
  pause: { verb: 'Pause', doing: 'Pausing', done: 'Paused', note: 'Each run stops before it starts anything more; its timers wait and its signals are kept until it is resumed. Runs that are queued, paused or finished are skipped.' },
  resume: { verb: 'Resume', doing: 'Resuming', done: 'Resumed', note: 'Each paused run goes on, taking what waited meanwhile in order. Runs that are not paused are skipped.' },
};
