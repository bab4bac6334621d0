// Schedules' durable next ticks (the `triggers` table), written once for both dialects: claiming
// the due ones like timers, moving a fired one on, and when the next is due. A claim is a lease:
// a worker that dies holding one is replaced once it lapses, and the tick's run is found again by
// its idempotency key, so a tick never makes two runs.
import type { Dialect } from './dialect.js';
import { ms, ts } from './postgres/sql-text.js';
import { read, write, type Program } from './statements.js';

export interface DueSchedule {
  id: string;
  workflowId: string;
  workflowSlug: string;
  cron: string;
  timezone: string;
  missed: 'skip' | 'catch-up';
  input: unknown;
  /** The tick claimed (epoch ms): moving on is refused if it changed meanwhile (an edit). */
  nextFireAt: number;
}

export interface FiredSchedule {
  id: string;
  owner: string;
  /** The tick that was claimed, and the one after what was fired. */
  claimedTick: number;
  nextFireAt: number | null;
  lastFiredAt: number | null;
  lastRunId: string | null;
  lastError: string | null;
  now: number;
}

const time = (dialect: Dialect) => (dialect === 'postgresql' ? ts('?') : '?');
const column = (dialect: Dialect, name: string) => (dialect === 'postgresql' ? ms(name) : name);
/** A boolean column's true: better-sqlite3 binds no booleans, and SQLite stores them as 1. */
const enabled = (dialect: Dialect) => `enabled = ${dialect === 'postgresql' ? 'true' : '1'}`;

/** Claim up to `limit` enabled schedules whose tick is due and that no live claim holds. */
export function* claimDueSchedules(dialect: Dialect, claim: { owner: string; now: number; expiresAt: number; limit: number }): Program<DueSchedule[]> {
  const t = time(dialect);
  const lock = dialect === 'postgresql' ? ' FOR UPDATE SKIP LOCKED' : '';
  const claimed = yield read(
    `UPDATE triggers SET claim_owner = ?, claim_expires_at = ${t}
     WHERE id IN (SELECT id FROM triggers WHERE kind = 'schedule' AND ${enabled(dialect)} AND next_fire_at <= ${t}
                  AND (claim_expires_at IS NULL OR claim_expires_at <= ${t}) ORDER BY next_fire_at LIMIT ?${lock})
     RETURNING id, workflow_id, cron, timezone, missed, input, ${column(dialect, 'next_fire_at')} AS next_fire_at`,
    claim.owner, claim.expiresAt, claim.now, claim.now, claim.limit,
  );
  const due: DueSchedule[] = [];
  for (const row of claimed) {
    const [workflow] = yield read('SELECT slug FROM workflows WHERE id = ?', row.workflow_id);
    if (!workflow) continue;
    due.push({
      id: String(row.id),
      workflowId: String(row.workflow_id),
      workflowSlug: String(workflow.slug),
      cron: String(row.cron),
      timezone: String(row.timezone),
      missed: row.missed === 'catch-up' ? 'catch-up' : 'skip',
      input: row.input ? JSON.parse(String(row.input)) : {},
      nextFireAt: Number(row.next_fire_at),
    });
  }
  return due;
}

/** Record a firing and let the claim go; false when the schedule was edited or taken over meanwhile. */
export function* moveScheduleOn(dialect: Dialect, fired: FiredSchedule): Program<boolean> {
  const t = time(dialect);
  const [row] = yield read(
    `UPDATE triggers SET next_fire_at = ${t}, claim_owner = NULL, claim_expires_at = NULL,
       last_fired_at = COALESCE(${t}, last_fired_at), last_run_id = COALESCE(?, last_run_id), last_error = ?, updated_at = ${t}
     WHERE id = ? AND claim_owner = ? AND next_fire_at = ${t} RETURNING id`,
    fired.nextFireAt, fired.lastFiredAt, fired.lastRunId, fired.lastError, fired.now, fired.id, fired.owner, fired.claimedTick,
  );
  return row !== undefined;
}

/** Let a claim go without moving on (the firing failed for a reason a later look may not have). */
export function* releaseSchedule(dialect: Dialect, id: string, owner: string): Program<void> {
  void dialect;
  yield write('UPDATE triggers SET claim_owner = NULL, claim_expires_at = NULL WHERE id = ? AND claim_owner = ?', id, owner);
}

/** When a worker should next look: the earliest tick, or the lapse of the claim that holds it. */
export function* nextScheduleWake(dialect: Dialect): Program<number | null> {
  const due = `CASE WHEN claim_expires_at IS NOT NULL AND claim_expires_at > next_fire_at THEN claim_expires_at ELSE next_fire_at END`;
  const [row] = yield read(`SELECT MIN(${column(dialect, due)}) AS at FROM triggers WHERE kind = 'schedule' AND ${enabled(dialect)} AND next_fire_at IS NOT NULL`);
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}
