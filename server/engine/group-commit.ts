// Group commit (DESIGN §5): checkpoints submitted during one turn of the event loop — across many
// runs — are written in one transaction, so one fsync covers them all. Callers learn the outcome
// only after the commit, so nothing a transition decided happens before it is durable.
import type { Checkpoint, CheckpointResult, EngineStore } from './store.js';

interface Pending {
  checkpoint: Checkpoint;
  resolve(result: CheckpointResult): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 2_000;

export class GroupCommitter {
  private queue: Pending[] = [];
  private flushing = false;
  private scheduled = false;
  readonly stats = { transactions: 0, checkpoints: 0 };

  constructor(private readonly store: EngineStore) {}

  submit(checkpoint: Checkpoint): Promise<CheckpointResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ checkpoint, resolve, reject });
      if (!this.scheduled && !this.flushing) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  get idle(): boolean {
    return this.queue.length === 0 && !this.flushing && !this.scheduled;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const results = await this.store.commit(batch.map((pending) => pending.checkpoint));
          this.stats.transactions++;
          this.stats.checkpoints += batch.length;
          batch.forEach((pending, index) => pending.resolve(results[index]));
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
