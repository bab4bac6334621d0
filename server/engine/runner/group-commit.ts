// Group commit (DESIGN §5): checkpoints submitted during one turn of the event loop — across many
// runs — are written in one transaction, so one fsync covers them all. Callers learn the outcome
// only after the commit, so nothing a transition decided happens before it is durable.
//
// A store that commits on several connections (PostgreSQL) may take more than one batch at once:
// while one batch is being written the worker assembles the next, so the worker's CPU and the
// database's overlap instead of taking turns.
import type { Checkpoint, CheckpointResult, EngineStore } from '../store.js';

interface Pending {
  checkpoint: Checkpoint;
  urgent: boolean;
  resolve(result: CheckpointResult): void;
  reject(error: unknown): void;
}

const SINGLE_WRITER = { maxBatch: 2_000, inFlight: 1 };

/**
 * Urgent checkpoints record an attempt's outcome: its side effect has happened, and until the
 * outcome is durable a crash repeats the step. They do not wait for the end of the loop's turn —
 * when hundreds of attempts come back in one turn (the timers phase), the first would wait for the
 * last — but commit once the work in hand is done: when the microtask queue of the callback that
 * produced them runs dry (process.nextTick), or, within one long cascade of microtasks, once the
 * oldest has waited `maxWaitMs` (real ms). Other checkpoints (a start, a signal taken from the
 * inbox) lose nothing by waiting for the end of the turn: what they consume is durable already.
 */
const MAX_WAIT_MS = 1;

export class GroupCommitter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** When the oldest urgent checkpoint in the queue was submitted (performance.now()), if there is one. */
  private urgentSince: number | undefined;
  private urgentFlushQueued = false;
  private readonly shape: { maxBatch: number; inFlight: number };
  readonly stats = { transactions: 0, checkpoints: 0 };

  /** `onBatch`: told each transaction's size and commit latency (real ms), for metrics. */
  constructor(
    private readonly store: Pick<EngineStore, 'commit' | 'commitShape'>,
    private readonly onBatch?: (size: number, latencyMs: number) => void,
    private readonly maxWaitMs = MAX_WAIT_MS,
  ) {
    this.shape = store.commitShape ?? SINGLE_WRITER;
  }

  /** `urgent`: it records the outcome of an attempt, whose side effect has happened already. */
  submit(checkpoint: Checkpoint, urgent = false): Promise<CheckpointResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ checkpoint, urgent, resolve, reject });
      if (urgent) {
        this.urgentSince ??= performance.now();
        if (!this.urgentFlushQueued) {
          this.urgentFlushQueued = true;
          process.nextTick(() => {
            this.urgentFlushQueued = false;
            if (this.urgentSince !== undefined) this.flush();
          });
        }
      }
      if (this.urgentSince !== undefined && this.inFlight < this.shape.inFlight && performance.now() - this.urgentSince >= this.maxWaitMs) return this.flush();
      this.schedule();
    });
  }

  // Not `scheduled`: after an early flush (an urgent checkpoint) the end-of-turn callback may still
  // be pending with nothing left to write, and nothing would tell the worker it is idle when it runs.
  get idle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0;
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
    this.urgentSince = this.queue.some((pending) => pending.urgent) ? performance.now() : undefined;
  }

  private async write(batch: Pending[]): Promise<void> {
    this.inFlight++;
    try {
      const began = this.onBatch ? performance.now() : 0;
      const results = await this.store.commit(batch.map((pending) => pending.checkpoint));
      this.onBatch?.(batch.length, performance.now() - began);
      this.stats.transactions++;
      this.stats.checkpoints += batch.length;
      batch.forEach((pending, index) => pending.resolve(results[index]));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
    }
  }
}
