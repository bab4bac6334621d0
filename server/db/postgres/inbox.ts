// The run inbox on PostgreSQL: posting a row (and waking the workers) is one statement. The run's
// row is read FOR SHARE, so a post racing the run's final checkpoint waits for it and then sees
// the run finished, as on SQLite where writes are serial.
import type pg from 'pg';
import type { SignalRecord } from '../../engine/store.js';
import { ts } from './sql.js';
import { notifySql } from './wake.js';

const POST = `WITH posted AS (
    INSERT INTO signals (id, instance_id, kind, name, data, created_at)
    SELECT $1, id, $2, $3, $4, ${ts('$5')} FROM instances WHERE id = $6 AND finished_at IS NULL FOR SHARE
    RETURNING 1)
  SELECT ${notifySql('$7')} FROM posted`;

const REOPEN = `WITH reopened AS (
    UPDATE instances SET status = 'waiting', finished_at = NULL, error = NULL, rev = rev + 1, updated_at = ${ts('$5')}
    WHERE id = $6 AND status = 'failed' RETURNING id),
  posted AS (
    INSERT INTO signals (id, instance_id, kind, name, data, created_at)
    SELECT $1, id, $2, $3, $4, ${ts('$5')} FROM reopened RETURNING 1)
  SELECT ${notifySql('$7')} FROM posted`;

export function createInbox(pool: pg.Pool, wakePayload: () => string) {
  const values = (signal: SignalRecord) => [
    signal.id, signal.kind, signal.name, signal.data === undefined ? null : JSON.stringify(signal.data), signal.createdAt, signal.instanceId, wakePayload(),
  ];
  return {
    async post(signal: SignalRecord): Promise<boolean> {
      return (await pool.query(POST, values(signal))).rowCount === 1;
    },
    /** Reopen a failed run and post the retry to its inbox, in one statement. */
    async reopenForRetry(signal: SignalRecord): Promise<boolean> {
      return (await pool.query(REOPEN, values(signal))).rowCount === 1;
    },
  };
}
