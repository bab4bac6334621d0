// The injected clock. Durable logic reads time only from here, so tests skip days with FakeClock.
import { durationMs } from '../../shared/durations.js';

export interface Clock {
  now(): number;
  /** Run `callback` once the clock reaches `at` (epoch ms). Returns a function that cancels it. */
  schedule(at: number, callback: () => void): () => void;
}

// setTimeout overflows past ~24.8 days; longer waits re-arm until due.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(at, callback) {
    let handle: NodeJS.Timeout;
    const arm = () => {
      const delay = at - Date.now();
      handle = setTimeout(delay > MAX_TIMEOUT_MS ? arm : callback, Math.min(Math.max(delay, 0), MAX_TIMEOUT_MS));
    };
    arm();
    return () => clearTimeout(handle);
  },
};

/** A clock that only moves when told to; due callbacks run, in time order, as it passes them. */
export class FakeClock implements Clock {
  protected current: number;
  protected readonly pending = new Set<{ at: number; callback: () => void; order: number }>();
  private order = 0;

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  schedule(at: number, callback: () => void): () => void {
    const entry = { at, callback, order: this.order++ };
    this.pending.add(entry);
    return () => void this.pending.delete(entry);
  }

  /** Move forward by a duration ("7d", or milliseconds) and run every callback that became due. */
  advance(by: string | number): void {
    this.set(this.current + (typeof by === 'number' ? by : durationMs(by)));
  }

  set(time: number | Date): void {
    const target = typeof time === 'number' ? time : time.getTime();
    if (target < this.current) throw new Error('FakeClock cannot go back in time');
    this.current = target;
    for (;;) {
      let due: { at: number; callback: () => void; order: number } | undefined;
      for (const entry of this.pending) {
        if (entry.at <= this.current && (!due || entry.at < due.at || (entry.at === due.at && entry.order < due.order))) due = entry;
      }
      if (!due) return;
      this.pending.delete(due);
      due.callback();
    }
  }
}
