// How an API process without a worker starts runs: the run's row is written `pending` with no
// lease and no transition, and a worker (in another process, woken by the store's notification)
// claims it and makes its first transition. Everything the caller checked — version, input,
// idempotency key — was checked before, in startRun, exactly as with a local worker.
import type { Clock } from '../clock.js';
import type { EngineStore } from '../store.js';
import { firstCheckpoint, type Admission } from './admission.js';

export function createQueuedAdmission(deps: { store: EngineStore; clock: Clock }): Admission {
  return {
    async admit(version, run) {
      const [result] = await deps.store.commit([firstCheckpoint(version, run, deps.clock.now())]);
      return result.ok ? { ok: true, status: 'pending' } : result;
    },
    // The store's own notification wakes the workers of other processes.
    poke() {},
  };
}
