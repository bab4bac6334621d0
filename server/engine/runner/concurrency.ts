// Concurrency limits (a workflow setting): at most `limit` runs of a workflow in flight — pending,
// running, waiting or paused (IN_FLIGHT_STATUSES); a paused run keeps its place, so resuming never
// passes the limit. A run started beyond it is written `queued` (no transition, no lease) and
// admitted in start order — made `pending`, for any worker to claim — as others finish. The count
// and the admission are one transaction in the store (on PostgreSQL under a lock on the workflow's
// row), so starts and finishes racing on many workers cannot pass the limit together.
import { isFinished } from '../../../shared/runs/status.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../clock.js';
import type { EngineStore } from '../store.js';
import { firstCheckpoint, type Admission } from './admission.js';

interface LimitDeps {
  store: EngineStore;
  clock: Clock;
  /** Runs were admitted: look for work now (claim the pending runs). */
  wake(): void;
}

/**
 * `admit` for a workflow that may have a limit: without one, the run goes to `admit` as before;
 * with one, it is queued and then admitted at once if there is room.
 */
export function withConcurrencyLimit(deps: LimitDeps, admit: Admission['admit']): Admission['admit'] {
  // Read once per workflow per turn of the event loop: starts arriving together (thousands, from
  // one caller) share the read; a changed limit applies from the next turn.
  const limits = new Map<string, Promise<number | null>>();
  const limitOf = (workflowId: string) => {
    let limit = limits.get(workflowId);
    if (!limit) {
      if (limits.size === 0) setImmediate(() => limits.clear());
      limits.set(workflowId, (limit = deps.store.concurrencyLimit(workflowId)));
    }
    return limit;
  };
  return async (version, run) => {
    const { store, clock } = deps;
    const limit = await limitOf(version.workflowId);
    if (limit === null) return admit(version, run);
    const [written] = await store.commit([{ ...firstCheckpoint(version, run, clock.now()), status: 'queued' }]);
    if (!written.ok) return written;
    const admitted = await store.admitQueued(version.workflowId, clock.now());
    if (admitted.length > 0) deps.wake();
    return { ok: true, status: admitted.includes(run.id) ? 'pending' : 'queued' };
  };
}

/**
 * Admits queued runs as runs finish: after each checkpoint that ends a run, its workflow is looked
 * at (once per turn of the event loop however many of its runs ended). A worker that starts looks
 * at every workflow with queued runs, so a crash between a finish and its admission loses nothing.
 */
export function createQueueKeeper(deps: LimitDeps & { logger: Logger; onIdleChange(): void }) {
  const due = new Set<string>();
  let scheduled = false;
  let inFlight = 0;
  let chain: Promise<void> = Promise.resolve();

  async function admitAll(workflowIds: Iterable<string>): Promise<void> {
    let admitted = 0;
    for (const workflowId of workflowIds) admitted += (await deps.store.admitQueued(workflowId, deps.clock.now())).length;
    if (admitted > 0) deps.wake();
  }

  function flush(): void {
    scheduled = false;
    const workflowIds = [...due];
    due.clear();
    inFlight++;
    chain = chain
      .then(() => admitAll(workflowIds))
      .catch((error: unknown) => deps.logger.error('admitting queued runs failed', { error: String((error as Error).stack ?? error) }))
      .finally(() => {
        inFlight--;
        deps.onIdleChange();
      });
  }

  return {
    /** A checkpoint of a run of `workflowId` was committed with `status`. */
    checkpointed(workflowId: string | undefined, status: string): void {
      if (!workflowId || !isFinished(status)) return;
      due.add(workflowId);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    sweep: async (): Promise<void> => admitAll(await deps.store.queuedWorkflows()),
    /** Admissions asked for and not done yet (a worker is not idle meanwhile). */
    get busy(): boolean {
      return scheduled || inFlight > 0;
    },
  };
}
