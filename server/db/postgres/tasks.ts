// Approval tasks on PostgreSQL: look-ups for the inbox, and a decision written as one statement
// (the task's audit record, the inbox row that brings it to the run, the wake-up for the workers
// and the notice to other API processes that their inboxes changed).
import type pg from 'pg';
import type { TaskDecision, TaskRecord } from '../../engine/store.js';
import { toTask, type TaskRow } from '../engine-rows.js';
import { TASK_COLUMNS, TASK_FROM } from './rows.js';
import { ts } from './sql.js';
import { notifyChangesSql, notifySql } from './wake.js';

const DECIDE = `WITH decided AS (
    UPDATE approval_tasks SET status = $1, decided_at = ${ts('$2')}, decided_by = $3, decision = $1, comment = $4, form_values = $5
    WHERE id = $6 AND status = 'pending' RETURNING instance_id),
  posted AS (
    INSERT INTO signals (id, instance_id, kind, data, created_at)
    SELECT $7, instance_id, 'decision', $8, ${ts('$2')} FROM decided RETURNING 1)
  SELECT ${notifySql('$9')}, ${notifyChangesSql('$10')} FROM posted`;

const ORDER = 'ORDER BY t.due_at IS NULL, t.due_at, t.created_at';

export function createTaskStore(pool: pg.Pool, wakePayload: () => string, tasksChangedPayload: () => string) {
  return {
    async find(taskId: string): Promise<TaskRecord | undefined> {
      const { rows } = await pool.query<TaskRow>(`SELECT ${TASK_COLUMNS} ${TASK_FROM} WHERE t.id = $1`, [taskId]);
      return rows[0] && toTask(rows[0]);
    },
    async decide(decision: TaskDecision): Promise<'decided' | 'not-pending'> {
      const form = decision.form === undefined ? null : JSON.stringify(decision.form);
      const { rowCount } = await pool.query(DECIDE, [
        decision.status, decision.at, decision.by, decision.comment ?? null, form, decision.taskId, decision.signalId, JSON.stringify(decision.data),
        wakePayload(), tasksChangedPayload(),
      ]);
      return rowCount === 1 ? 'decided' : 'not-pending';
    },
    /** Assigned to the user or to one of their roles; every task for an admin. Soonest due first. */
    async for(who: { user: string; roles: readonly string[]; admin?: boolean; status?: TaskRecord['status'] }): Promise<TaskRecord[]> {
      const status = who.status ?? 'pending';
      const query = who.admin
        ? pool.query<TaskRow>(`SELECT ${TASK_COLUMNS} ${TASK_FROM} WHERE t.status = $1 ${ORDER}`, [status])
        : pool.query<TaskRow>(
            `SELECT ${TASK_COLUMNS} ${TASK_FROM} WHERE t.status = $1 AND t.id IN (
               SELECT task_id FROM approval_assignees WHERE (kind = 'user' AND name = $2) OR (kind = 'role' AND name = ANY($3::text[])))
             ${ORDER}`,
            [status, who.user, [...who.roles]],
          );
      return (await query).rows.map(toTask);
    },
  };
}
