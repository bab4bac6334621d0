// Queued runs (a workflow's concurrency limit), written once for both dialects: admitting the
// oldest queued runs while the workflow has room, counted and changed in one transaction.
import type { Dialect } from './dialect.js';
import { ts } from './postgres/sql-text.js';
import { read, type Program } from './statements.js';

/** The statuses the limit counts (shared/runs/status.ts IN_FLIGHT_STATUSES), as SQL. */
const IN_FLIGHT = `('pending', 'running', 'waiting', 'paused')`;
/** At most this many runs are admitted by one transaction; the next call takes the rest. */
const ADMIT_BATCH = 1_000;

/**
 * Turn the oldest queued runs of `workflowId` pending while it has room. On PostgreSQL the
 * workflow's row is locked first, so that two workers admitting at once take turns and the second
 * counts what the first admitted (each statement of a READ COMMITTED transaction sees what was
 * committed before it started, and the lock is only granted after the first commits).
 */
export function* admitQueuedRuns(dialect: Dialect, workflowId: string, now: number): Program<string[]> {
  const [workflow] = yield read(`SELECT concurrency_limit FROM workflows WHERE id = ?${dialect === 'postgresql' ? ' FOR UPDATE' : ''}`, workflowId);
  if (!workflow) return [];
  let room = ADMIT_BATCH;
  if (workflow.concurrency_limit !== null && workflow.concurrency_limit !== undefined) {
    const [row] = yield read(`SELECT COUNT(*) AS n FROM instances WHERE workflow_id = ? AND status IN ${IN_FLIGHT}`, workflowId);
    room = Math.min(ADMIT_BATCH, Number(workflow.concurrency_limit) - Number(row.n));
  }
  if (room <= 0) return [];
  // Ids are time-ordered (UUIDv7 with a per-millisecond counter): id order is start order.
  const admitted = yield read(
    `UPDATE instances SET status = 'pending', rev = rev + 1, updated_at = ${dialect === 'postgresql' ? ts('?') : '?'}
     WHERE id IN (SELECT id FROM instances WHERE workflow_id = ? AND status = 'queued' ORDER BY id LIMIT ?) AND status = 'queued'
     RETURNING id`,
    now, workflowId, room,
  );
  return admitted.map((row) => row.id as string).sort();
}

export const CONCURRENCY_LIMIT = 'SELECT concurrency_limit AS "limit" FROM workflows WHERE id = ?';
export const QUEUED_WORKFLOWS = `SELECT DISTINCT workflow_id AS id FROM instances WHERE status = 'queued'`;
