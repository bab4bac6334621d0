// A checkpoint batch's writes to approval tasks beyond creating them, on PostgreSQL: reminders and
// escalations, and the batch's audit entries. Called last in the batch's transaction, after the task
// rows it changes are locked, so the audit lock is always taken after task locks (as decide does).
import type { CheckpointRows } from '../checkpoint-rows.js';
import { closedEntries, createdEntries, updateEntries } from '../task-audit.js';
import { appendAudit } from './audit.js';
import { ts, type Queryable } from './sql.js';

const REMIND = `UPDATE approval_tasks t SET reminders = t.reminders + 1, reminded_at = ${ts('c.at')}
  FROM (SELECT (r->>0)::text AS id, (r->>1)::float8 AS at FROM jsonb_array_elements($1::jsonb) r) c WHERE t.id = c.id AND t.status = 'pending'`;
const ESCALATE = `UPDATE approval_tasks SET escalated_at = ${ts('$2')} WHERE id = $1 AND status = 'pending' RETURNING id`;
const DROP_ASSIGNEES = 'DELETE FROM approval_assignees WHERE task_id = $1';
const ADD_ASSIGNEES = `INSERT INTO approval_assignees (task_id, kind, name)
  SELECT $1, r->>0, r->>1 FROM jsonb_array_elements($2::jsonb) r ON CONFLICT DO NOTHING`;

/** `closed`: tasks this batch's closings changed (CLOSE_TASKS' returned ids). */
export async function writeTaskChanges(client: Queryable, written: CheckpointRows[], closed: ReadonlySet<string>): Promise<void> {
  const live = written.filter((rows) => !rows.finished);
  const reminders = live.flatMap((rows) => rows.taskUpdates.filter(([, change]) => change.kind === 'reminded').map(([taskId]) => [taskId, rows.at]));
  if (reminders.length > 0) await client.query(REMIND, [JSON.stringify(reminders)]);
  for (const rows of live) {
    for (const [taskId, change] of rows.taskUpdates) {
      if (change.kind !== 'escalated') continue;
      const { rowCount } = await client.query(ESCALATE, [taskId, rows.at]);
      if (!rowCount) continue;
      if (change.mode === 'reassign') await client.query(DROP_ASSIGNEES, [taskId]);
      const names = [...change.to.users.map((name) => ['user', name]), ...change.to.roles.map((name) => ['role', name])];
      await client.query(ADD_ASSIGNEES, [taskId, JSON.stringify(names)]);
    }
  }
  const entries = written.flatMap((rows) => (rows.finished ? closedEntries(rows, closed) : [...createdEntries(rows), ...updateEntries(rows), ...closedEntries(rows, closed)]));
  await appendAudit(client, entries);
}
