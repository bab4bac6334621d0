// Writes made in one turn of the event loop share one transaction, so one fsync covers them all —
// what group commit does for checkpoints (engine/runner/group-commit.ts), for writes that callers
// make one at a time (signals sent to many runs at once). Each write runs in a savepoint of its own:
// one that throws fails only its caller.
import type Database from 'better-sqlite3';

interface Queued<A extends unknown[], R> {
  args: A;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * `maxBatch`: writes in one transaction at most; the rest follow on the next turn, so a flood of
 * writes (100,000 signals sent at once) holds the event loop — and every other run — for one
 * bounded transaction at a time, not for all of them.
 */
export function batchedPerTurn<A extends unknown[], R>(db: Database.Database, write: (...args: A) => R, maxBatch = 2_000): (...args: A) => Promise<R> {
  let queue: Queued<A, R>[] = [];
  // better-sqlite3 runs a transaction function called inside another one as a savepoint.
  const inSavepoint = db.transaction((args: A): R => write(...args));
  const writeAll = db.transaction((batch: Queued<A, R>[]) =>
    batch.map((item): { ok: true; result: R } | { ok: false; error: unknown } => {
      try {
        return { ok: true, result: inSavepoint(item.args) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
  const flush = () => {
    const batch = queue.splice(0, maxBatch);
    if (queue.length > 0) setImmediate(flush);
    let outcomes: ReturnType<typeof writeAll>;
    try {
      outcomes = writeAll(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    // Callers learn their outcome only once the transaction has committed.
    outcomes.forEach((outcome, index) => (outcome.ok ? batch[index].resolve(outcome.result) : batch[index].reject(outcome.error)));
  };
  return (...args) =>
    new Promise<R>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ args, resolve, reject });
    });
}
