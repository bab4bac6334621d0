// The scenario runner's clock: workflow time moves only when a step advances it, and then one due
// callback at a time, at its own due time, so timers fire in order and each sees the time it was
// due (a 30-day jump through a 7-day wait resumes the wait at day 7, not day 30). Nothing sleeps.
import type { Clock } from '../engine/clock.js';

interface Entry {
  at: number;
  callback: () => void;
  order: number;
}

export class VirtualClock implements Clock {
  private current: number;
  private readonly pending = new Set<Entry>();
  private order = 0;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(at: number, callback: () => void): () => void {
    const entry = { at, callback, order: this.order++ };
    this.pending.add(entry);
    return () => void this.pending.delete(entry);
  }

  /** The due time of the earliest pending callback, if any. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const entry of this.pending) if (next === undefined || entry.at < next) next = entry.at;
    return next;
  }

  /**
   * Move to `time` (never back: a callback due in the past runs at the present) and run every
   * callback now due, earliest first; callbacks they schedule for now run too.
   */
  moveTo(time: number): void {
    this.current = Math.max(this.current, time);
    for (;;) {
      let due: Entry | undefined;
      for (const entry of this.pending) {
        if (entry.at <= this.current && (!due || entry.at < due.at || (entry.at === due.at && entry.order < due.order))) due = entry;
      }
      if (!due) return;
      this.pending.delete(due);
      due.callback();
    }
  }
}
