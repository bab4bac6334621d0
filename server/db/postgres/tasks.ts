// Approval tasks on PostgreSQL: look-ups for the inbox, and a decision written in one transaction
// (the person's decision row, the task settled when the quorum says so, the audit entry, the inbox
// row that brings it to the run, the wake-up for the workers and the notice to other API processes).
import type pg from 'pg';
import { parsePolicy, quorumOutcome, tallyOf } from '../../../shared/runs/approval-policy.js';
import type { DecideOutcome, TaskDecision, TaskRecord } from '../../engine/store.js';
import { toTask, type TaskRow } from '../engine-rows.js';
import { alreadyDecided, decisionEntry } from '../task-decisions.js';
import { appendAudit } from './audit.js';
import { TASK_COLUMNS, TASK_FROM } from './rows.js';
import { transaction, ts } from './sql.js';
import { notifyChangesSql, notifySql } from './wake.js';

// The task, locked; then its decisions so far, read by a statement of their own: under READ
// COMMITTED only a new statement's snapshot sees the decision whose transaction held the lock.
const PENDING = "SELECT instance_id, policy, shown_hash FROM approval_tasks WHERE id = $1 AND status = 'pending' FOR UPDATE";
const VOTES = `SELECT "by", on_behalf_of AS "onBehalfOf", decision FROM approval_decisions WHERE task_id = $1`;
// The person's decision, the task settled when $9 is set (the quorum's outcome), the inbox row for
// the run and the notices, in one statement.
const RECORD = `WITH vote AS (
    INSERT INTO approval_decisions (task_id, "by", on_behalf_of, decision, comment, form_values, at, audit_seq)
    VALUES ($1, $2, $3, $4, $5, $6, ${ts('$7')}, $8) RETURNING 1),
  settled AS (
    UPDATE approval_tasks SET status = $9, decision = $9, decided_at = ${ts('$7')}, decided_by = $2, on_behalf_of = $3, comment = $5, form_values = $6
    WHERE id = $1 AND status = 'pending' AND $9::text IS NOT NULL RETURNING 1),
  posted AS (
    INSERT INTO signals (id, instance_id, kind, data, created_at) VALUES ($10, $11, 'decision', $12, ${ts('$7')}) RETURNING 1)
  SELECT ${notifySql('$13')}, ${notifyChangesSql('$14')}, (SELECT COUNT(*) FROM vote) + (SELECT COUNT(*) FROM settled) + (SELECT COUNT(*) FROM posted) AS written`;

const ORDER = 'ORDER BY t.due_at IS NULL, t.due_at, t.created_at';

export function createTaskStore(pool: pg.Pool, wakePayload: () => string, tasksChangedPayload: () => string) {
  return {
    async find(taskId: string): Promise<TaskRecord | undefined> {
      const { rows } = await pool.query<TaskRow>(`SELECT ${TASK_COLUMNS} ${TASK_FROM} WHERE t.id = $1`, [taskId]);
      return rows[0] && toTask(rows[0]);
    },
    /**
     * The task row is locked first, so decisions on one task take turns (two at the same instant are
     * both counted, or the later finds the task settled); the audit lock comes after, as in checkpoints.
     */
    decide: (decision: TaskDecision): Promise<DecideOutcome> =>
      transaction(pool, async (client) => {
        const { rows: [task] } = await client.query<{ instance_id: string; policy: string | null; shown_hash: string }>(PENDING, [decision.taskId]);
        if (!task) return 'not-pending';
        const { rows: earlier } = await client.query<{ by: string; onBehalfOf: string | null; decision: string }>(VOTES, [decision.taskId]);
        if (alreadyDecided(earlier, decision)) return 'already-decided';
        const outcome = quorumOutcome(parsePolicy(task.policy), tallyOf([...earlier, { decision: decision.status }]));
        const form = decision.form === undefined ? null : JSON.stringify(decision.form);
        const [entry] = await appendAudit(client, [decisionEntry(decision, task.instance_id, task.shown_hash, outcome)]);
        await client.query(RECORD, [
          decision.taskId, decision.by, decision.onBehalfOf ?? null, decision.status, decision.comment ?? null, form, decision.at, entry.seq,
          outcome === 'pending' ? null : outcome, decision.signalId, task.instance_id, JSON.stringify(decision.data), wakePayload(), tasksChangedPayload(),
        ]);
        return 'decided';
      }),
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
