// Live updates: an event bus that tRPC subscriptions listen to, fed by this process's worker
// (its checkpoint notices), its decisions, and — on PostgreSQL — by what other processes commit.
import { EventEmitter, on } from 'node:events';
import type { RunChange } from '../../engine/store.js';

export type { RunChange };

export class LiveEvents {
  private readonly emitter = new EventEmitter();
  private tasksEventDue = false;
  private runEventDue = false;
  private lastRunChange?: RunChange;

  constructor() {
    // Every open subscription listens; there is no leak to warn about.
    this.emitter.setMaxListeners(0);
  }

  /**
   * A run changed. Its own pages hear every change (`run:<id>`); pages of every run hear one change
   * per turn of the event loop, the last: they only refetch their list, and a group commit moves
   * hundreds of runs at once. Sent one by one, three open runs lists halved the engine's steps/s.
   */
  runChanged(change: RunChange): void {
    this.emitter.emit(`run:${change.instanceId}`, change);
    this.lastRunChange = change;
    if (this.runEventDue) return;
    this.runEventDue = true;
    setImmediate(() => {
      this.runEventDue = false;
      this.emitter.emit('run', this.lastRunChange);
    });
  }

  /**
   * Tasks changed. The event carries nothing, so every change of one turn (a group commit of 500
   * checkpoints that each opened a task) is one event: one message to each page, not 500.
   */
  tasksChanged(): void {
    if (this.tasksEventDue) return;
    this.tasksEventDue = true;
    setImmediate(() => {
      this.tasksEventDue = false;
      this.emitter.emit('tasks');
    });
  }

  /** Some run changed, at most once per turn (the turn's last change). Listens from the moment it is called. */
  runs(signal: AbortSignal | undefined): AsyncIterator<[RunChange]> {
    return on(this.emitter, 'run', { signal }) as AsyncIterator<[RunChange]>;
  }

  /** Every change of one run, in order. Listens from the moment it is called, so nothing committed after is missed. */
  run(instanceId: string, signal: AbortSignal | undefined): AsyncIterator<[RunChange]> {
    return on(this.emitter, `run:${instanceId}`, { signal }) as AsyncIterator<[RunChange]>;
  }

  tasks(signal: AbortSignal | undefined): AsyncIterator<unknown[]> {
    return on(this.emitter, 'tasks', { signal });
  }
}
