// Pause and resume (an operator's): a paused run does nothing until it is resumed. Its due timers
// and inbox rows stay where they are (claims pass a paused run by, taking only a resume, a pause or
// a cancel), attempts already under way finish and are recorded, and whatever the run would start
// next — an attempt, a model call, a child run — is held in its state and started on resume.
// Requests arrive as inbox rows (kinds `pause`, `resume`), so they are ordered with everything else
// the run receives and applied by whichever worker holds it; the pause is in the run's state, so it
// survives restarts. A cancel ends a pause: the run's paths stop, and what was held is dropped.
import { FINISHED_STATUSES, type InstanceStatus, type RunEvent, type RunState } from '../core/types.js';
import type { Checkpoint, InstanceRecord, SignalRecord } from '../store.js';
import type { AfterCommit, CheckpointDraft } from './checkpoint-draft.js';

/** The requests only the runner handles; the core never sees them. */
export type ControlEvent = { type: 'pauseRequested'; by?: string; reason?: string } | { type: 'resumeRequested'; by?: string };

/** A paused run, as kept in its state (`state.paused`). */
export interface PausedState {
  at: number;
  by?: string;
  /** The status the run would have were it not paused (what resuming gives it back). */
  status: InstanceStatus;
  /** What the run asked to start while paused, in order: started on resume. */
  held: AfterCommit[];
}

type WithPause = RunState & { paused?: PausedState };

export const pausedOf = (state: RunState): PausedState | undefined => (state as WithPause).paused;

const withPause = (state: RunState, paused: PausedState | undefined): RunState => {
  const next: WithPause = { ...state, paused };
  if (!paused) delete next.paused;
  return next;
};

export function isControl(event: RunEvent | ControlEvent): event is ControlEvent {
  return event.type === 'pauseRequested' || event.type === 'resumeRequested';
}

/** An inbox row of kind `pause` or `resume` as the event the runner handles. */
export function controlEvent(signal: SignalRecord): ControlEvent | undefined {
  const data = (signal.data ?? {}) as { by?: string; reason?: string };
  if (signal.kind === 'pause') return { type: 'pauseRequested', by: data.by, reason: data.reason };
  if (signal.kind === 'resume') return { type: 'resumeRequested', by: data.by };
  return undefined;
}

/**
 * Something of this run is under way outside it — an attempt, a model call or a child being started
 * that was not held — so its worker keeps it in memory and keeps its lease, paused or not.
 */
export function hasWorkInFlight(record: Pick<InstanceRecord, 'status' | 'state'>): boolean {
  if (record.status === 'running' || record.status === 'pending') return true;
  if (record.status !== 'paused') return false;
  const held = new Set((pausedOf(record.state)?.held ?? []).map((effect) => effect.tokenId));
  return record.state.tokens.some((token) => token.status === 'running' && !held.has(token.id));
}

interface Delivery {
  event: RunEvent | ControlEvent;
  timerId?: string;
  signalId?: string;
}

/** The pause and resume of one batch of a run's events, beside the batch's CheckpointDraft. */
export class PauseStep {
  private readonly before: PausedState | undefined;

  constructor(
    private readonly draft: CheckpointDraft,
    private readonly now: number,
  ) {
    this.before = pausedOf(draft.state);
  }

  /**
   * Whether the batch's transition must not see `delivery`: a pause or resume (applied here), or a
   * timer or inbox row that reached a paused run (left unconsumed: it is taken again after the resume).
   */
  takes(delivery: Delivery): boolean {
    const { event } = delivery;
    const paused = pausedOf(this.draft.state);
    if (isControl(event)) {
      this.draft.consume(delivery);
      if (this.draft.finished) return true;
      if (event.type === 'pauseRequested' && !paused) {
        this.draft.note({ type: 'runPaused', data: { by: event.by, reason: event.reason } }, withPause(this.draft.state, { at: this.now, by: event.by, status: this.draft.status, held: [] }));
      } else if (event.type === 'resumeRequested' && paused) {
        this.draft.note({ type: 'runResumed', data: { by: event.by } }, withPause(this.draft.state, undefined));
        this.draft.afterCommit.unshift(...paused.held);
      }
      return true;
    }
    if (!paused) return false;
    // A cancel ends the pause; its paths stop, so what they were about to start is dropped.
    // A recovery (the worker died while paused) turns held attempts into interrupted ones.
    if (event.type === 'cancelRequested' || event.type === 'recover') {
      this.draft.state = withPause(this.draft.state, event.type === 'recover' ? { ...paused, held: [] } : undefined);
      return false;
    }
    return delivery.timerId !== undefined || delivery.signalId !== undefined;
  }

  /** Before the checkpoint is made: what a paused run would start now is held instead. */
  hold(): void {
    const paused = pausedOf(this.draft.state);
    if (!paused || FINISHED_STATUSES.includes(this.draft.status)) return;
    const underlying = this.draft.status === 'paused' ? paused.status : this.draft.status;
    this.draft.state = withPause(this.draft.state, { ...paused, status: underlying, held: [...paused.held, ...this.draft.afterCommit.splice(0)] });
  }

  /** The status and lease the checkpoint writes: `paused` while paused; on resume, what it was. */
  settle(checkpoint: Checkpoint, lease: NonNullable<Checkpoint['lease']>): void {
    const paused = pausedOf(checkpoint.state);
    if (FINISHED_STATUSES.includes(checkpoint.status)) return;
    if (paused) {
      checkpoint.status = 'paused';
      checkpoint.lease = hasWorkInFlight({ status: 'paused', state: checkpoint.state }) ? lease : null;
      return;
    }
    if (checkpoint.status !== 'paused') return;
    // Resumed (or cancelled) in a batch that ran no transition: back to what it was.
    checkpoint.status = this.draft.afterCommit.length > 0 ? 'running' : (this.before?.status ?? 'waiting');
    checkpoint.lease = checkpoint.status === 'running' ? lease : null;
  }
}
