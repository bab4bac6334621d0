// One live process per worker id on PostgreSQL: a session-level advisory lock on the id, held on a
// connection of its own for the life of the process. PostgreSQL drops it when that session ends,
// so a process that dies (SIGKILL included) frees its id for its successor, and no table or
// migration is involved. If the connection is lost while the process lives, it takes the lock
// again on a new one; if another process took the id meanwhile, `onLost` says so.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { silentLogger } from '../../logger.js';
import { EngineLockError, type EngineLock, type EngineLockOptions } from '../engine-lock.js';

/** A 64-bit key for the id (a 32-bit hash would let two ids of a large fleet collide). */
export function workerLockKey(workerId: string): string {
  return createHash('sha256').update(`cairn.worker-id:${workerId}`).digest().readBigInt64BE(0).toString();
}

export function workerIdTaken(workerId: string): EngineLockError {
  return new EngineLockError(
    `worker id "${workerId}" is held by another live process: two processes may not share a CAIRN_WORKER_ID ` +
      '(leave it unset for one unique to each process, or give each its own)',
  );
}

export async function holdWorkerLock(url: string, options: EngineLockOptions & { retryMs?: number }): Promise<EngineLock> {
  const { workerId } = options;
  const logger = options.logger ?? silentLogger;
  const key = workerLockKey(workerId);
  const retryMs = options.retryMs ?? 1_000;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let released = false;

  /** A connection holding the lock, or undefined when another session holds it. */
  async function take(): Promise<pg.Client | undefined> {
    const next = new pg.Client({
      connectionString: url,
      // It is idle for the life of the process: keep-alives stop a firewall from dropping it unseen.
      keepAlive: true,
      // Operators find the holder in pg_stat_activity by this name.
      application_name: `cairn worker-id lock ${workerId}`.slice(0, 63),
    });
    next.on('error', (error) => lose(next, error));
    next.on('end', () => lose(next, new Error('the connection ended')));
    try {
      await next.connect();
      const { rows } = await next.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS held', [key]);
      if (rows[0].held) return next;
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    await next.end().catch(() => {});
    return undefined;
  }

  function lose(lost: pg.Client, error: Error): void {
    if (released || client !== lost) return;
    client = undefined;
    void lost.end().catch(() => {});
    logger.warn('the worker id lock lost its connection; taking it again', { workerId, error: String(error) });
    scheduleRetake();
  }

  function scheduleRetake(): void {
    if (released || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      take().then(
        (next) => {
          if (released) return void next?.end().catch(() => {});
          if (next) {
            client = next;
            logger.warn('the worker id lock is held again', { workerId });
            return;
          }
          const error = workerIdTaken(workerId);
          logger.error('another process took this worker id while the lock was lost', { workerId });
          options.onLost?.(error);
        },
        (error: unknown) => {
          logger.warn('the worker id lock could not reconnect; trying again', { workerId, error: String(error) });
          scheduleRetake();
        },
      );
    }, retryMs);
  }

  client = await take();
  if (!client) throw workerIdTaken(workerId);
  return {
    dialect: 'postgresql',
    async release() {
      if (released) return;
      released = true;
      clearTimeout(retry);
      const held = client;
      client = undefined;
      // Ending the session releases the advisory lock.
      await held?.end().catch(() => {});
    },
  };
}
