// What the runner tells an observer as it works (issue 18): telemetry (server/telemetry/) turns
// these into spans and metrics. The runner calls every hook synchronously and only after the fact
// it reports; an observer must be cheap and must not throw (the runner guards it anyway). Absent,
// the runner pays nothing.
import type { GraphIndex } from '../core/graph-index.js';
import type { EffectMap } from '../core/types.js';
import type { Checkpoint, InstanceRecord } from '../store.js';
import type { AttemptOutcome } from './action-runner.js';

/** Work a worker took up: a due timer, an inbox row, or a run nobody held (`due`: when it became due). */
export interface PickedUp {
  instanceId: string;
  kind: 'timer' | 'inbox' | 'recovered';
  due: number;
  at: number;
  /** The timer's purpose, or the inbox row's kind. */
  purpose?: string;
  /** The timer's token. */
  tokenId?: string;
}

export interface CheckpointCommitted {
  /** The run as the checkpoint left it (the worker's copy: read, do not keep). */
  record: InstanceRecord;
  checkpoint: Checkpoint;
  graph: GraphIndex;
  /** What the worker had picked up for this batch (timers fired, inbox rows), with due times. */
  pickedUp: readonly PickedUp[];
}

export interface AttemptFinished {
  instanceId: string;
  effect: EffectMap['runAction'] | EffectMap['callModel'];
  outcome: AttemptOutcome;
  /** Wall time of the attempt on the injected clock. */
  startedAt: number;
  endedAt: number;
}

export interface RunObserver {
  checkpointCommitted?(notice: CheckpointCommitted): void;
  /** One group-commit transaction: how many checkpoints it wrote and how long it took (real ms). */
  batchCommitted?(size: number, latencyMs: number): void;
  attemptFinished?(notice: AttemptFinished): void;
  /** The traceparent to send from this attempt (absent: none is sent). */
  traceparentFor?(record: InstanceRecord, effect: EffectMap['runAction'] | EffectMap['callModel']): string | undefined;
}

/** Call a hook without letting an observer's fault reach the run. */
export function notify<K extends keyof RunObserver>(observer: RunObserver | undefined, hook: K, ...args: Parameters<NonNullable<RunObserver[K]>>): ReturnType<NonNullable<RunObserver[K]>> | undefined {
  const fn = observer?.[hook] as ((...a: unknown[]) => unknown) | undefined;
  if (!fn) return undefined;
  try {
    return fn.apply(observer, args) as ReturnType<NonNullable<RunObserver[K]>>;
  } catch {
    return undefined;
  }
}
