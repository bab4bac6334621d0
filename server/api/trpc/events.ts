// Live updates: an event bus that tRPC subscriptions listen to, fed by this process's worker
// (its checkpoint notices), its decisions, and — on PostgreSQL — by what other processes commit.
import { EventEmitter, on } from 'node:events';
import type { RunChange } from '../../engine/store.js';

export type { RunChange };

export class LiveEvents {
  private readonly emitter = new EventEmitter();
  private tasksEventDue = false;

  constructor() {
    // Every open subscription listens; there is no leak to warn about.
    this.emitter.setMaxListeners(0);
  }

  runChanged(change: RunChange): void {
    this.emitter.emit('run', change);
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

  /** Listens from the moment it is called, so nothing committed after this call is missed. */
  runs(signal: AbortSignal | undefined): AsyncIterator<[RunChange]> {
    return on(this.emitter, 'run', { signal }) as AsyncIterator<[RunChange]>;
  }

  tasks(signal: AbortSignal | undefined): AsyncIterator<unknown[]> {
    return on(this.emitter, 'tasks', { signal });
  }
}
