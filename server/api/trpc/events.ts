// Live updates: an event bus that tRPC subscriptions listen to, fed by this process's worker
// (its checkpoint notices), its decisions, and — on PostgreSQL — by what other processes commit.
import { EventEmitter, on } from 'node:events';
import type { RunChange } from '../../engine/store.js';

export type { RunChange };

export class LiveEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open subscription listens; there is no leak to warn about.
    this.emitter.setMaxListeners(0);
  }

  runChanged(change: RunChange): void {
    this.emitter.emit('run', change);
  }

  tasksChanged(): void {
    this.emitter.emit('tasks');
  }

  /** Listens from the moment it is called, so nothing committed after this call is missed. */
  runs(signal: AbortSignal | undefined): AsyncIterator<[RunChange]> {
    return on(this.emitter, 'run', { signal }) as AsyncIterator<[RunChange]>;
  }

  tasks(signal: AbortSignal | undefined): AsyncIterator<unknown[]> {
    return on(this.emitter, 'tasks', { signal });
  }
}
