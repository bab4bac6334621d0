// How an API process without a worker starts runs: the run's row is written `pending` with no
// lease and no transition, and a worker (in another process, woken by the store's notification)
// claims it and makes its first transition. Everything the caller checked — version, input,
// idempotency key — was checked before, in startRun, exactly as with a local worker.
import type { Clock } from '../clock.js';
import { initialState } from '../core/interpreter.js';
import type { EngineStore, VersionRecord } from '../store.js';
import type { AdmitResult, Worker } from './worker.js';

export type Admission = Pick<Worker, 'admit' | 'poke'>;

export function createQueuedAdmission(deps: { store: EngineStore; clock: Clock }): Admission {
  return {
    async admit(version: VersionRecord, run: { id: string; input: unknown; idempotencyKey?: string; parentId?: string }): Promise<AdmitResult> {
      const [result] = await deps.store.commit([
        {
          instanceId: run.id,
          create: {
            workflowId: version.workflowId,
            versionId: version.versionId,
            version: version.version,
            input: run.input,
            idempotencyKey: run.idempotencyKey,
            parentId: run.parentId,
          },
          expectedRev: 0,
          status: 'pending',
          state: initialState(),
          waitingOn: [],
          history: [],
          timersToSet: [],
          timersToDelete: [],
          tasksToCreate: [],
          tasksToClose: [],
          signalsDelivered: [],
          lease: null,
          at: deps.clock.now(),
        },
      ]);
      return result.ok ? { ok: true, status: 'pending' } : result;
    },
    // The store's own notification wakes the workers of other processes.
    poke() {},
  };
}
