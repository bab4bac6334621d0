// The run inbox on SQLite: rows posted by senders (signals, decisions, cancels, child results) and
// claimed by workers in arrival order, like due timers.
import type Database from 'better-sqlite3';
import type { CappedPost, ClaimOptions, Inbound, SignalCap, SignalRecord } from '../../engine/store.js';
import { INSTANCE_COLUMNS, toSignal, type InstanceRow } from '../engine-rows.js';
import type { createLeases } from './leases.js';

// A paused run takes only what ends or changes its pause, a queued run only a cancel: everything
// else waits in the inbox until it is resumed or admitted.
export const CLAIMABLE_ROW = `(i.status NOT IN ('paused', 'queued') OR s.kind = 'cancel' OR (i.status = 'paused' AND s.kind IN ('pause', 'resume')))`;

/** An inbox row with its run's row (INSTANCE_COLUMNS), the signal's columns prefixed. */
type ClaimableSignalRow = InstanceRow & { signal_id: string; signal_kind: string; signal_name: string | null; signal_data: string | null; signal_created_at: number };

const claimedSignal = (row: ClaimableSignalRow) =>
  toSignal({ id: row.signal_id, instance_id: row.id, kind: row.signal_kind, name: row.signal_name, data: row.signal_data, created_at: row.signal_created_at });

export function createInbox(db: Database.Database, leases: ReturnType<typeof createLeases>) {
  // Each inbox row comes with its run's row, which the claim loads: one statement, not one per run.
  const selectUndelivered = db.prepare<{ now: number; owner: string; limit: number }, ClaimableSignalRow>(
    `SELECT s.id AS signal_id, s.kind AS signal_kind, s.name AS signal_name, s.data AS signal_data, s.created_at AS signal_created_at, ${INSTANCE_COLUMNS}
     FROM signals s JOIN instances i ON i.id = s.instance_id JOIN workflows w ON w.id = i.workflow_id
     WHERE s.delivered_at IS NULL AND i.finished_at IS NULL AND ${CLAIMABLE_ROW}
       AND (i.lease_owner IS NULL OR i.lease_owner = @owner OR i.lease_expires_at <= @now)
     ORDER BY s.id LIMIT @limit`,
  );
  const firstUndelivered = db.prepare<[], { id: string }>(
    `SELECT s.id FROM signals s JOIN instances i ON i.id = s.instance_id WHERE s.delivered_at IS NULL AND i.finished_at IS NULL AND ${CLAIMABLE_ROW} ORDER BY s.id LIMIT 1`,
  );
  const insert = db.prepare(`INSERT INTO signals (id, instance_id, kind, name, data, created_at)
    SELECT ?, id, ?, ?, ?, ? FROM instances WHERE id = ? AND finished_at IS NULL`);

  // What a run holds that no event node has taken: undelivered named signals, and those its state
  // buffers (`state.signals`); bytes are those of the data's JSON text (`->` gives it verbatim).
  const held = db.prepare<[string], { count: number; bytes: number }>(
    `SELECT (SELECT COUNT(*) FROM signals WHERE instance_id = i.id AND delivered_at IS NULL AND kind = 'signal')
        + COALESCE(json_array_length(i.state, '$.signals'), 0) AS count,
      (SELECT COALESCE(SUM(length(CAST(data AS BLOB))), 0) FROM signals WHERE instance_id = i.id AND delivered_at IS NULL AND kind = 'signal')
        + (SELECT COALESCE(SUM(length(CAST(b.value -> '$.data' AS BLOB))), 0) FROM json_each(i.state, '$.signals') b) AS bytes
     FROM instances i WHERE i.id = ? AND i.finished_at IS NULL`,
  );
  // Typed as a plain function: declarations (tsc -b) cannot name better-sqlite3's Transaction type.
  const postCapped: (signal: SignalRecord, cap: SignalCap) => CappedPost = db.transaction((signal: SignalRecord, cap: SignalCap): CappedPost => {
    const now = held.get(signal.instanceId);
    if (!now) return { posted: false, reason: 'finished' };
    if (now.count + 1 > cap.count || now.bytes + cap.adding > cap.bytes) return { posted: false, reason: 'full', held: { count: now.count, bytes: now.bytes } };
    insert.run(signal.id, signal.kind, signal.name, JSON.stringify(signal.data ?? null), signal.createdAt, signal.instanceId);
    return { posted: true };
  });

  const reopen = db.prepare(`UPDATE instances SET status = 'waiting', finished_at = NULL, error = NULL, rev = rev + 1, updated_at = ?
    WHERE id = ? AND status = 'failed'`);
  const reopenForRetry: (signal: SignalRecord) => boolean = db.transaction((signal: SignalRecord): boolean => {
    if (reopen.run(signal.createdAt, signal.instanceId).changes === 0) return false;
    insert.run(signal.id, signal.kind, signal.name, JSON.stringify(signal.data), signal.createdAt, signal.instanceId);
    return true;
  });

  const claim: (options: ClaimOptions) => Inbound[] = db.transaction((options: ClaimOptions): Inbound[] =>
    leases
      .claimByRun(selectUndelivered.all({ now: options.now, owner: options.owner, limit: options.limit }), (row) => row.id, options, (row) => row)
      .map(({ instance, rows }) => ({ instance, signals: rows.map(claimedSignal) })),
  );

  return {
    claim,
    reopenForRetry,
    postCapped,
    hasUndelivered: (): boolean => firstUndelivered.get() !== undefined,
    post(signal: SignalRecord): boolean {
      const data = signal.data === undefined ? null : JSON.stringify(signal.data);
      return insert.run(signal.id, signal.kind, signal.name, data, signal.createdAt, signal.instanceId).changes === 1;
    },
  };
}
