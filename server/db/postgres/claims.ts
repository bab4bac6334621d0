// Claiming runs on PostgreSQL: many workers scan the same tables at once, so each claim locks the
// runs it takes with FOR UPDATE SKIP LOCKED — a worker passes over rows another is taking and
// goes on to the next ones — and leases them in the same statement.
import type pg from 'pg';
import type { ClaimOptions, DueTimers, Inbound, InstanceRecord } from '../../engine/store.js';
import { claimedInstance, toSignal, toTimer, type InstanceRow, type SignalRow, type TimerRow } from '../engine-rows.js';
import { INSTANCE_COLUMNS, SIGNAL_COLUMNS, TIMER_COLUMNS } from './rows.js';
import { lockedRuns, ts } from './sql.js';

// The caller may take back its own leases at once: they were left by an earlier life of the same
// worker id (a restart); other owners' only after they expire.
// A paused run takes only what ends or changes its pause, a queued run only a cancel: everything
// else waits in the inbox until it is resumed or admitted (the worker leaves such rows undelivered).
export const CLAIMABLE_ROW = `(i.status NOT IN ('paused', 'queued') OR s.kind = 'cancel' OR (i.status = 'paused' AND s.kind IN ('pause', 'resume')))`;

const CLAIMABLE = `(i.lease_owner IS NULL OR i.lease_owner = $2 OR i.lease_expires_at <= ${ts('$1')})`;

/** Lease the runs `picked` selects (a query over `i` that locks with SKIP LOCKED) and return them. */
// `prior_owner` is the lease the claim replaced: one still set means the processing that held it
// was interrupted (its process died or stalled), which the worker counts (quarantine).
const leaseAndReturn = (picked: string) => `WITH picked AS (${picked}),
  leased AS (
    UPDATE instances i SET lease_owner = $2, lease_expires_at = ${ts('$4')}
    FROM (SELECT DISTINCT id, prior_owner FROM picked) p WHERE i.id = p.id RETURNING i.*, p.prior_owner)
  SELECT ${INSTANCE_COLUMNS}, i.prior_owner FROM leased i JOIN workflows w ON w.id = i.workflow_id`;

const CLAIM_RECOVERABLE = leaseAndReturn(`SELECT i.id, i.lease_owner AS prior_owner FROM instances i
  WHERE i.status IN ('pending', 'running') AND ${CLAIMABLE} AND NOT (i.id = ANY($5::text[]))
  LIMIT $3 FOR UPDATE SKIP LOCKED`);

const CLAIM_DUE_TIMERS = leaseAndReturn(`SELECT i.id, i.lease_owner AS prior_owner FROM timers t JOIN instances i ON i.id = t.instance_id
  WHERE t.due_at <= ${ts('$1')} AND i.status <> 'paused' AND ${CLAIMABLE}
  ORDER BY t.due_at LIMIT $3 FOR UPDATE OF i SKIP LOCKED`);

const CLAIM_INBOUND = leaseAndReturn(`SELECT i.id, i.lease_owner AS prior_owner FROM signals s JOIN instances i ON i.id = s.instance_id
  WHERE s.delivered_at IS NULL AND i.finished_at IS NULL AND ${CLAIMABLE_ROW} AND ${CLAIMABLE}
  ORDER BY s.id LIMIT $3 FOR UPDATE OF i SKIP LOCKED`);

const TIMERS_OF = `SELECT ${TIMER_COLUMNS} FROM timers t WHERE t.instance_id = ANY($1::text[]) AND t.due_at <= ${ts('$2')} ORDER BY t.due_at`;
const INBOX_OF = `SELECT ${SIGNAL_COLUMNS} FROM signals s WHERE s.instance_id = ANY($1::text[]) AND s.delivered_at IS NULL ORDER BY s.id`;

const params = (options: ClaimOptions, extra: unknown[] = []) => [options.now, options.owner, options.limit, options.leaseExpiresAt, ...extra];

type ClaimedRow = InstanceRow & { prior_owner: string | null };

function toClaimed(row: ClaimedRow): InstanceRecord {
  return claimedInstance(row, null, row.prior_owner !== null);
}

function groupBy<Row extends { instance_id: string }>(instances: InstanceRecord[], rows: Row[]) {
  const byRun = new Map(instances.map((instance) => [instance.id, { instance, rows: [] as Row[] }]));
  for (const row of rows) byRun.get(row.instance_id)?.rows.push(row);
  return [...byRun.values()];
}

/** Give back `owner`'s leases on `ids` (runs another lease no longer holds are left alone). */
export async function releaseLeases(pool: pg.Pool, owner: string, ids: string[]): Promise<void> {
  await pool.query(
    `WITH mine AS MATERIALIZED ${lockedRuns('$1', '$2')} UPDATE instances i SET lease_owner = NULL, lease_expires_at = NULL FROM mine WHERE i.id = mine.id`,
    [ids, owner],
  );
}

// In READ COMMITTED, a claim that waits on a run's row re-checks the run but not the timer or
// inbox row it joined: it can lease a run whose row another worker consumed just before. Such a
// run is given back at once (unless it is running, which its holder still owns) rather than held
// with nothing to do until its lease expires.
async function giveBackIdle<Row extends { instance_id: string }>(pool: pg.Pool, owner: string, claimed: { instance: InstanceRecord; rows: Row[] }[]) {
  const idle = claimed.filter(({ instance, rows }) => rows.length === 0 && instance.status !== 'running' && instance.status !== 'pending');
  if (idle.length > 0) {
    await releaseLeases(pool, owner, idle.map(({ instance }) => instance.id));
  }
  return claimed.filter((entry) => !idle.includes(entry));
}

export function createClaims(pool: pg.Pool) {
  return {
    async recoverable(options: ClaimOptions): Promise<InstanceRecord[]> {
      const { rows } = await pool.query<ClaimedRow>(CLAIM_RECOVERABLE, params(options, [[...(options.exclude ?? [])]]));
      return rows.map(toClaimed);
    },
    // The lease is committed before the rows are read: from then on only this worker moves the
    // run, so the read needs no transaction (a row posted meanwhile is simply delivered too).
    async dueTimers(options: ClaimOptions): Promise<DueTimers[]> {
      const { rows } = await pool.query<ClaimedRow>(CLAIM_DUE_TIMERS, params(options));
      if (rows.length === 0) return [];
      const instances = rows.map(toClaimed);
      const { rows: timers } = await pool.query<TimerRow>(TIMERS_OF, [instances.map((instance) => instance.id), options.now]);
      const claimed = await giveBackIdle(pool, options.owner, groupBy(instances, timers));
      return claimed.map(({ instance, rows }) => ({ instance, timers: rows.map(toTimer) }));
    },
    async inbound(options: ClaimOptions): Promise<Inbound[]> {
      const { rows } = await pool.query<ClaimedRow>(CLAIM_INBOUND, params(options));
      if (rows.length === 0) return [];
      const instances = rows.map(toClaimed);
      const { rows: signals } = await pool.query<SignalRow>(INBOX_OF, [instances.map((instance) => instance.id)]);
      const claimed = await giveBackIdle(pool, options.owner, groupBy(instances, signals));
      return claimed.map(({ instance, rows }) => ({ instance, signals: rows.map(toSignal) }));
    },
  };
}
