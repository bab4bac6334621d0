// An operator's requests on one run: pause and resume (runner/pause.ts does them, in the run's
// order, from its inbox). Each is checked here and refused with an EngineError naming what is
// wrong before anything is stored; the request is durable before the caller hears back.
import { isFinished, mayPause } from '../../shared/runs/status.js';
import type { Clock } from './clock.js';
import { EngineError } from './errors.js';
import { newRunId } from './ids.js';
import type { Admission } from './runner/admission.js';
import type { EngineStore, InstanceRecord } from './store.js';

export interface RunOperations {
  /** Ask the run to pause; it does so before it starts anything more. */
  pause(runId: string, options?: { by?: string; reason?: string }): Promise<void>;
  /** Ask a paused run to go on: what waited meanwhile (due timers, signals, decisions) is taken in order. */
  resume(runId: string, options?: { by?: string }): Promise<void>;
}

const REASON_LIMIT = 1_000;

export function createRunOperations(deps: { store: EngineStore; worker: Pick<Admission, 'poke'>; clock: Clock }): RunOperations {
  const { store, worker, clock } = deps;

  async function findRun(runId: string): Promise<InstanceRecord> {
    if (typeof runId !== 'string' || !runId) throw new EngineError('INVALID_INPUT', 'a run id is needed');
    const run = await store.findInstance(runId);
    if (!run) throw new EngineError('NOT_FOUND', `no run with id "${runId}"`);
    return run;
  }

  async function post(run: InstanceRecord, kind: 'pause' | 'resume', data: Record<string, unknown>, what: string): Promise<void> {
    const posted = await store.postSignal({ id: newRunId(clock), instanceId: run.id, kind, name: null, data, createdAt: clock.now() });
    if (!posted) throw new EngineError('CONFLICT', `run "${run.id}" has finished meanwhile; it cannot be ${what}`);
    worker.poke();
  }

  return {
    async pause(runId, options = {}) {
      if (options.reason !== undefined && (typeof options.reason !== 'string' || options.reason.length > REASON_LIMIT)) {
        throw new EngineError('INVALID_INPUT', `reason must be text of at most ${REASON_LIMIT.toLocaleString('en')} characters`);
      }
      const run = await findRun(runId);
      if (isFinished(run.status)) throw new EngineError('CONFLICT', `run "${runId}" has already ${run.status}; only a run in flight can be paused`, { status: run.status });
      if (run.status === 'paused') throw new EngineError('CONFLICT', `run "${runId}" is already paused`, { status: run.status });
      if (run.status === 'queued') {
        throw new EngineError('CONFLICT', `run "${runId}" is queued: it has not started, and starts only when its workflow has room; cancel it to stop it`, { status: run.status });
      }
      if (!mayPause(run.status)) throw new EngineError('CONFLICT', `run "${runId}" is ${run.status}; it cannot be paused`, { status: run.status });
      await post(run, 'pause', { by: options.by, reason: options.reason }, 'paused');
    },

    async resume(runId, options = {}) {
      const run = await findRun(runId);
      if (run.status !== 'paused') throw new EngineError('CONFLICT', `run "${runId}" is not paused (it is ${run.status}); only a paused run can be resumed`, { status: run.status });
      await post(run, 'resume', { by: options.by }, 'resumed');
    },
  };
}
