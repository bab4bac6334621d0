// One checkpoint in the making: the transitions of a batch of one run's events, folded into what
// the store writes in one transaction — history numbered after the run's, timers set and deleted,
// tasks, consumed timer and inbox rows — and the effects to perform once it has committed.
import type { Clock } from '../clock.js';
import { FINISHED_STATUSES, type Effect, type HistoryEntry, type RunState, type Transition } from '../core/types.js';
import { newRunId } from '../ids.js';
import type { Checkpoint, HistoryRecord, InstanceRecord, NewInstance, TimerRecord } from '../store.js';

/** Effects performed after their checkpoint commits; every other effect is part of the checkpoint. */
export type AfterCommit = Extract<Effect, { type: 'runAction' | 'callModel' | 'startChild' }>;

export class CheckpointDraft {
  readonly history: HistoryRecord[] = [];
  readonly afterCommit: AfterCommit[] = [];
  state: RunState;
  private last?: Transition;
  private readonly timers = new Map<string, TimerRecord | null>();
  private readonly writes: Pick<Checkpoint, 'tasksToCreate' | 'tasksToClose' | 'taskUpdates' | 'signalsDelivered' | 'cancelChildren'> = {
    tasksToCreate: [],
    tasksToClose: [],
    taskUpdates: [],
    signalsDelivered: [],
  };

  constructor(
    private readonly record: InstanceRecord,
    private readonly now: number,
    private readonly clock: Clock,
  ) {
    this.state = record.state;
  }

  /** The timer or inbox row an event came from is used up by this checkpoint, handled or not. */
  consume(rows: { timerId?: string; signalId?: string }): void {
    if (rows.timerId) this.timers.set(rows.timerId, null);
    if (rows.signalId) this.writes.signalsDelivered.push(rows.signalId);
  }

  /** The run ended, before or within this batch: later events change nothing. */
  get finished(): boolean {
    return FINISHED_STATUSES.includes(this.last?.status ?? this.record.status);
  }

  add(transition: Transition): void {
    const { record, now } = this;
    this.last = transition;
    this.state = transition.state;
    for (const entry of transition.history) {
      this.history.push({ type: entry.type, nodeId: entry.nodeId, visit: entry.visit, attempt: entry.attempt, data: entry.data, seq: record.historyCount + this.history.length + 1, at: now });
    }
    for (const effect of transition.effects) {
      switch (effect.type) {
        case 'runAction':
        case 'callModel':
        case 'startChild':
          this.afterCommit.push(effect);
          break;
        case 'setTimer':
          this.timers.set(effect.timerId, { id: effect.timerId, instanceId: record.id, tokenId: effect.tokenId, purpose: effect.purpose, dueAt: effect.dueAt });
          break;
        case 'cancelTimer':
          this.timers.set(effect.timerId, null);
          break;
        case 'createTask':
          this.writes.tasksToCreate.push(effect.task);
          break;
        case 'closeTask':
          this.writes.tasksToClose.push({ taskId: effect.taskId, status: effect.status });
          break;
        case 'updateTask':
          this.writes.taskUpdates.push({ taskId: effect.taskId, change: effect.change });
          break;
        case 'cancelChildren':
          this.writes.cancelChildren = { compensate: effect.compensate, signalIdPrefix: newRunId(this.clock) };
          break;
      }
    }
  }

  /** An entry the runner records itself (an operator's pause or resume), numbered after the others. */
  note(entry: HistoryEntry, state: RunState): void {
    this.state = state;
    this.history.push({ type: entry.type, nodeId: entry.nodeId, data: entry.data, seq: this.record.historyCount + this.history.length + 1, at: this.now });
  }

  /** The status the last transition of this batch gave, or the row's when none ran. */
  get status(): Checkpoint['status'] {
    return this.last?.status ?? this.record.status;
  }

  /** The checkpoint: `create` while the run's row is not written yet; the lease is held while running. */
  checkpoint(options: { create?: NewInstance; owner: string; leaseMs: number }): Checkpoint {
    const { record, last, now } = this;
    const status = last?.status ?? record.status;
    const timersToSet: TimerRecord[] = [];
    const timersToDelete: string[] = [];
    for (const [timerId, timer] of this.timers) {
      if (timer) timersToSet.push(timer);
      else timersToDelete.push(timerId);
    }
    return {
      instanceId: record.id,
      create: options.create,
      expectedRev: record.rev,
      status,
      state: this.state,
      // A batch that changed nothing (e.g. a late signal for a finished run) keeps what the row has.
      output: last ? last.output : (record.output ?? undefined),
      error: last ? last.error : (record.error ?? undefined),
      waitingOn: last?.waitingOn ?? record.waitingOn,
      history: this.history,
      timersToSet,
      timersToDelete,
      // Named one by one, not spread: a spread here gave every checkpoint a hidden class of its
      // own, and each read of one a slow lookup (as for the transition in core/interpreter.ts).
      tasksToCreate: this.writes.tasksToCreate,
      tasksToClose: this.writes.tasksToClose,
      taskUpdates: this.writes.taskUpdates,
      signalsDelivered: this.writes.signalsDelivered,
      cancelChildren: this.writes.cancelChildren,
      // A child that ends tells its parent, in the same transaction (exactly once).
      notifyParent:
        FINISHED_STATUSES.includes(status) && last && record.parentId
          ? {
              parentId: record.parentId,
              signalId: newRunId(this.clock),
              data: { key: record.idempotencyKey, childId: record.id, status, output: last.output ?? null, error: last.error ?? null },
            }
          : undefined,
      lease: this.lease(status, options),
      at: now,
    };
  }

  /**
   * A running run holds its lease; the worker renews every held lease each third of it. A step
   * taken with more than two thirds of the lease left keeps the row's lease as it is.
   */
  private lease(status: Checkpoint['status'], options: { owner: string; leaseMs: number }): Checkpoint['lease'] {
    if (status !== 'running') return null;
    const { record, now } = this;
    const held = record.status === 'running' && record.leaseOwner === options.owner && record.leaseExpiresAt !== null;
    if (held && record.leaseExpiresAt! - now > (options.leaseMs * 2) / 3) return { owner: options.owner, expiresAt: record.leaseExpiresAt! };
    return { owner: options.owner, expiresAt: now + options.leaseMs };
  }

  /**
   * Whether the checkpoint, as finally built (a pause may have changed it since), leaves the row's
   * status and lease as they are: the store may then leave those columns, and the claim indexes on
   * them, untouched.
   */
  keepsStatusAndLease(checkpoint: Checkpoint): boolean {
    const { record } = this;
    const { status, lease } = checkpoint;
    return status === 'running' && record.status === status && lease !== null && lease.owner === record.leaseOwner && lease.expiresAt === record.leaseExpiresAt;
  }

  /** The held record is the worker's own copy of the row: bring it to what `checkpoint` committed. */
  committed(checkpoint: Checkpoint): void {
    const { record, last } = this;
    record.status = checkpoint.status;
    record.state = checkpoint.state;
    record.rev += 1;
    record.historyCount += checkpoint.history.length;
    record.output = last?.output ?? record.output;
    record.error = last?.error ?? record.error;
    record.waitingOn = checkpoint.waitingOn;
    record.leaseOwner = checkpoint.lease?.owner ?? null;
    record.leaseExpiresAt = checkpoint.lease?.expiresAt ?? null;
    record.updatedAt = this.now;
  }
}
