// Steps whose actions return at once chain commit → outcome → next step → commit through promises
// and process.nextTick, which Node runs to the end before its event loop turns again: 1,000 runs of
// ten such steps held the loop for about a second, while HTTP requests, timers (durable wake-ups,
// lease renewals) and other I/O waited. The run processor asks here before a run takes its next
// events (not an attempt's outcome) and before it starts attempts, and the group committer before it
// tells a batch's callers, whether the current stretch of work has held the loop long enough (or, for
// the run processor, whether others wait already); if so they wait for the loop's next turn, in order
// of arrival. Work put off that way still shares group
// commits: what it submits in one turn is written together.

/** How long (real ms) one stretch of work may hold the event loop before the next step waits a turn. */
export const LOOP_BUDGET_MS = 10;

export class LoopTurns {
  /** When the current stretch began (performance.now()): the first question asked since the loop turned. */
  private stretchBegan: number | undefined;
  /** Work put off, in order of arrival; `head` is the next to go. */
  private waiting: (() => void)[] = [];
  private head = 0;
  /** Put off ahead of `waiting` (see turn). */
  private first: (() => void)[] = [];
  /** A release is under way: in this stretch's microtasks, or queued for the next turn. */
  private releasing = false;

  /** The loop's idle time when the stretch began (ms spent waiting for I/O, `idleMs`). */
  private idleAtBegin = 0;

  /** `idleMs`: how long the event loop has waited for I/O in all (Node's event loop utilization). */
  constructor(
    private readonly budgetMs = LOOP_BUDGET_MS,
    private readonly idleMs: () => number = () => performance.eventLoopUtilization().idle,
  ) {}

  /** Whether the loop has been held for the budget already; the first call after a turn starts the clock. */
  held(): boolean {
    const now = performance.now();
    if (this.stretchBegan === undefined) {
      this.begin(now);
      return false;
    }
    if (now - this.stretchBegan < this.budgetMs) return false;
    // A stretch that began in one turn's check phase runs on into the next turn's poll phase, which
    // may have waited for I/O with nothing to do: that wait held nothing up. Asked only past the budget.
    if (this.idleMs() - this.idleAtBegin > 0.5) {
      this.stretchBegan = now;
      this.idleAtBegin = this.idleMs();
      return false;
    }
    return true;
  }

  /**
   * Whether work arriving now should wait its turn: the loop is held, or others are already waiting
   * (work that keeps moving would otherwise take every turn's budget before them).
   */
  mustWait(): boolean {
    return this.head < this.waiting.length || this.first.length > 0 || this.held();
  }

  private begin(now: number): void {
    this.stretchBegan = now;
    this.idleAtBegin = this.idleMs();
    // Runs once the loop turns, which ends the stretch.
    setImmediate(() => (this.stretchBegan = undefined));
  }

  /**
   * Resolves when the caller may go on: after everything put off before it, while a stretch is
   * within budget (in a later turn, when the current one is spent). `first`: ahead of the others
   * (a committed batch, whose callers are many runs waiting for their next step).
   */
  turn(first = false): Promise<void> {
    return new Promise((resolve) => {
      if (first) this.first.push(resolve);
      else this.waiting.push(resolve);
      if (this.releasing) return;
      this.releasing = true;
      if (this.held()) setImmediate(this.release);
      else queueMicrotask(this.release);
    });
  }

  // One piece at a time: each one's continuation is queued before this function runs again, so
  // the budget is asked after the work it let go has run. A turn lets a budget's worth go and the
  // rest wait for the next one; letting them all go at once made each stretch as long as before.
  private readonly release = (): void => {
    if (this.head === this.waiting.length && this.first.length === 0) {
      this.waiting = [];
      this.head = 0;
      this.releasing = false;
      return;
    }
    if (this.held()) {
      setImmediate(this.release);
      return;
    }
    const next = this.first.shift() ?? this.waiting[this.head++];
    // Let go of what has gone: in a long burst the list would otherwise keep every waiter until it empties.
    if (this.head >= 1_024) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    next();
    queueMicrotask(this.release);
  };
}
