// What every PostgreSQL query of the engine shares: the pool, and transactions that retry when
// PostgreSQL aborts them to break a deadlock or a serialization conflict. The SQL text helpers
// (times, placeholders) are in sql-text.ts, which code shared with SQLite imports without the driver.
import pg from 'pg';
import type { Row } from '../statements.js';
import { numberedPlaceholders } from './sql-text.js';

export { ms, numberedPlaceholders, ts } from './sql-text.js';

// COUNT and other bigints come back as numbers: every count here fits in 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export function createPool(url: string, size = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: size, types });
  // An idle connection that the server drops (restart, admin kill) must not crash the process;
  // the pool replaces it and the next query reports any lasting problem.
  pool.on('error', () => {});
  return pool;
}

export function connectClient(url: string): pg.Client {
  return new pg.Client({ connectionString: url, types });
}

/**
 * Runs `ids` (a text[] parameter) owned by `owner`, locked in id order. Every statement that
 * updates many runs locks them through this (or in a claim, with SKIP LOCKED), so two such
 * statements never wait on each other in a cycle: without one order, a worker's lease renewal and
 * its own batch in flight locked the same runs in different orders and deadlocked — a second lost
 * to deadlock detection each time.
 */
export const lockedRuns = (ids: string, owner: string, options: { skipLocked?: boolean } = {}): string =>
  `(SELECT id FROM instances WHERE id = ANY(${ids}::text[]) AND lease_owner = ${owner} ORDER BY id FOR NO KEY UPDATE${options.skipLocked ? ' SKIP LOCKED' : ''})`;

const RETRYABLE = new Set(['40001', '40P01']);

/** Run `work` in one transaction; retried from the start if PostgreSQL aborts it for a deadlock. */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (attempt < 5 && RETRYABLE.has((error as { code?: string }).code ?? '')) continue;
      throw error;
    } finally {
      client.release();
    }
  }
}

export type Queryable = Pick<pg.PoolClient, 'query'>;

/** The rows of one query written in the shared `?` form. */
export async function queryRows(db: Queryable, sql: string, params: unknown[]): Promise<Row[]> {
  return (await db.query<Row>(numberedPlaceholders(sql), params)).rows;
}

