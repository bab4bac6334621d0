// The scenario runner's clock: workflow time moves only when a step advances it, and then one due
// callback at a time, at its own due time, so timers fire in order and each sees the time it was
// due (a 30-day jump through a 7-day wait resumes the wait at day 7, not day 30). Nothing sleeps.
// It is the tests' FakeClock with two things a script needs: where the next timer is, and a move
// that never goes back.
import { FakeClock } from '../engine/clock.js';

export class VirtualClock extends FakeClock {
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
    this.set(Math.max(this.current, time));
  }
}
