// The run inbox on PostgreSQL: posting a row (and waking the workers) is one statement. The run's
// row is read FOR SHARE, so a post racing the run's final checkpoint waits for it and then sees
// the run finished, as on SQLite where writes are serial. Named signals are posted under the cap.
import type pg from 'pg';
import type { CappedPost, SignalCap, SignalRecord } from '../../engine/store.js';
import { transaction, ts } from './sql.js';
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

// A capped post locks the run first (FOR NO KEY UPDATE: racing senders and the run's checkpoints
// take turns), then counts in a statement of its own, whose snapshot sees what the previous holder
// of the lock committed. Bytes are those of the data's JSON text (`json`, not `jsonb`, keeps it verbatim).
const LOCK_RUN = 'SELECT 1 FROM instances WHERE id = $1 AND finished_at IS NULL FOR NO KEY UPDATE';
const POST_CAPPED = `WITH held AS (
    SELECT
      (SELECT COUNT(*) FROM signals WHERE instance_id = $6 AND delivered_at IS NULL AND kind = 'signal')
        + COALESCE(json_array_length(b.buffer), 0) AS count,
      (SELECT COALESCE(SUM(octet_length(data)), 0) FROM signals WHERE instance_id = $6 AND delivered_at IS NULL AND kind = 'signal')
        + COALESCE((SELECT SUM(octet_length((e -> 'data')::text)) FROM json_array_elements(b.buffer) e), 0) AS bytes
    FROM (SELECT state::json -> 'signals' AS buffer FROM instances WHERE id = $6) b),
  posted AS (
    INSERT INTO signals (id, instance_id, kind, name, data, created_at)
    SELECT $1, $6, $2, $3, $4, ${ts('$5')} FROM held WHERE held.count + 1 <= $8 AND held.bytes + $9 <= $10
    RETURNING 1),
  woke AS (SELECT ${notifySql('$7')} FROM posted)
  SELECT held.count, held.bytes, (SELECT COUNT(*) FROM woke) AS posted FROM held`;

export function createInbox(pool: pg.Pool, wakePayload: () => string) {
  const values = (signal: SignalRecord) => [
    signal.id, signal.kind, signal.name, signal.data === undefined ? null : JSON.stringify(signal.data), signal.createdAt, signal.instanceId, wakePayload(),
  ];
  return {
    async post(signal: SignalRecord): Promise<boolean> {
      return (await pool.query(POST, values(signal))).rowCount === 1;
    },
    async postCapped(signal: SignalRecord, cap: SignalCap): Promise<CappedPost> {
      return transaction(pool, async (client) => {
        if ((await client.query(LOCK_RUN, [signal.instanceId])).rowCount !== 1) return { posted: false, reason: 'finished' };
        const { rows } = await client.query<{ count: number; bytes: number; posted: number }>(POST_CAPPED, [...values(signal), cap.count, cap.adding, cap.bytes]);
        const [{ count, bytes, posted }] = rows;
        return posted === 1 ? { posted: true } : { posted: false, reason: 'full', held: { count: Number(count), bytes: Number(bytes) } };
      });
    },
    /** Reopen a failed run and post the retry to its inbox, in one statement. */
    async reopenForRetry(signal: SignalRecord): Promise<boolean> {
      return (await pool.query(REOPEN, values(signal))).rowCount === 1;
    },
  };
}
