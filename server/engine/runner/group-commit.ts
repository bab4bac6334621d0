// Group commit (DESIGN §5): checkpoints submitted during one turn of the event loop — across many
// runs — are written in one transaction, so one fsync covers them all. Callers learn the outcome
// only after the commit, so nothing a transition decided happens before it is durable.
//
// A store that commits on several connections (PostgreSQL) may take more than one batch at once:
// while one batch is being written the worker assembles the next, so the worker's CPU and the
// database's overlap instead of taking turns.
import type { Checkpoint, CheckpointResult, EngineStore } from '../store.js';
import type { LoopTurns } from './loop-turns.js';

interface Pending {
  checkpoint: Checkpoint;
  resolve(result: CheckpointResult): void;
  reject(error: unknown): void;
}

const SINGLE_WRITER = { maxBatch: 2_000, inFlight: 1 };

/**
 * Urgent checkpoints record an attempt's outcome: its side effect has happened, and until the
 * outcome is durable a crash repeats the step. They do not wait for the end of the loop's turn —
 * when hundreds of attempts come back in one turn (the timers phase), the first would wait for the
 * last — but commit once the work in hand is done: when the microtask queue of the callback that
 * produced them runs dry (process.nextTick). A stretch of such work is bounded by the run
 * processor's loop budget (loop-turns.ts), so none waits longer than about that. Other checkpoints
 * (a start, a signal taken from the inbox) lose nothing by waiting for the end of the turn: what
 * they consume is durable already.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** Batches committed whose callers wait for the loop to turn before they hear of it. */
  private settling = 0;
  private scheduled = false;
  private urgentFlushQueued = false;
  private readonly shape: { maxBatch: number; inFlight: number };
  readonly stats = { transactions: 0, checkpoints: 0 };

  /** `onBatch`: told each transaction's size and commit latency (real ms), for metrics. */
  constructor(
    private readonly store: Pick<EngineStore, 'commit' | 'commitShape'>,
    private readonly onBatch?: (size: number, latencyMs: number) => void,
    /** The run processor's loop budget: past it, callers hear of a commit on the loop's next turn. */
    private readonly turns?: LoopTurns,
  ) {
    this.shape = store.commitShape ?? SINGLE_WRITER;
  }

  /** `urgent`: it records the outcome of an attempt, whose side effect has happened already. */
  submit(checkpoint: Checkpoint, urgent = false): Promise<CheckpointResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ checkpoint, resolve, reject });
      if (urgent && !this.urgentFlushQueued) {
        this.urgentFlushQueued = true;
        process.nextTick(() => {
          this.urgentFlushQueued = false;
          this.flush();
        });
      }
      this.schedule();
    });
  }

  // Not `scheduled`: after an early flush (an urgent checkpoint) the end-of-turn callback may still
  // be pending with nothing left to write, and nothing would tell the worker it is idle when it runs.
  get idle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0 && this.settling === 0;
  }

  // Flushing on the next turn, not at once, lets every run that moves in this turn join the batch.
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.shape.inFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.shape.inFlight) {
      void this.write(this.queue.splice(0, this.shape.maxBatch));
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    this.inFlight++;
    let results: CheckpointResult[];
    try {
      const began = this.onBatch ? performance.now() : 0;
      results = await this.store.commit(batch.map((pending) => pending.checkpoint));
      this.onBatch?.(batch.length, performance.now() - began);
      this.stats.transactions++;
      this.stats.checkpoints += batch.length;
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
    }
    // The batch's next steps go on in a fresh turn once this stretch has held the loop long enough;
    // the next batch may be written meanwhile.
    if (this.turns?.held()) {
      this.settling++;
      await this.turns.turn(true);
      this.settling--;
    }
    batch.forEach((pending, index) => pending.resolve(results[index]));
  }
}
