// Approval tasks on SQLite: look-ups for the inbox and the one atomic write of a decision (the task's
// audit record and the inbox row that brings the decision to the run).
import type Database from 'better-sqlite3';
import type { TaskDecision, TaskRecord } from '../../engine/store.js';
import { toTask, type TaskRow } from '../engine-rows.js';

const COLUMNS = `t.id, t.instance_id, w.slug, t.node_id, t.visit, t.title, t.details, t.data, t.form, t.shown_hash, t.status, t.due_at,
  t.created_at, t.decided_at, t.decided_by, t.decision, t.comment, t.form_values,
  (SELECT json_group_array(name) FROM approval_assignees a WHERE a.task_id = t.id AND a.kind = 'user') AS users,
  (SELECT json_group_array(name) FROM approval_assignees a WHERE a.task_id = t.id AND a.kind = 'role') AS roles`;
const FROM = 'FROM approval_tasks t JOIN instances i ON i.id = t.instance_id JOIN workflows w ON w.id = i.workflow_id';

export function createTaskStore(db: Database.Database) {
  const byId = db.prepare<[string], TaskRow>(`SELECT ${COLUMNS} ${FROM} WHERE t.id = ?`);
  const decide = db.prepare(`UPDATE approval_tasks SET status = ?, decided_at = ?, decided_by = ?, decision = ?, comment = ?, form_values = ?
    WHERE id = ? AND status = 'pending'`);
  const postDecision = db.prepare(`INSERT INTO signals (id, instance_id, kind, data, created_at)
    SELECT ?, instance_id, 'decision', ?, ? FROM approval_tasks WHERE id = ?`);

  // Typed as a plain function: declarations (tsc -b) cannot name better-sqlite3's Transaction type.
  const recordDecision: (decision: TaskDecision) => 'decided' | 'not-pending' = db.transaction((decision: TaskDecision): 'decided' | 'not-pending' => {
    const changed = decide.run(
      decision.status, decision.at, decision.by, decision.status, decision.comment ?? null,
      decision.form === undefined ? null : JSON.stringify(decision.form), decision.taskId,
    ).changes;
    if (changed === 0) return 'not-pending';
    postDecision.run(decision.signalId, JSON.stringify(decision.data), decision.at, decision.taskId);
    return 'decided';
  });

  return {
    find: (taskId: string): TaskRecord | undefined => {
      const row = byId.get(taskId);
      return row && toTask(row);
    },
    decide: recordDecision,
    /** Assigned to the user or to one of their roles; every task for an admin. Soonest due first. */
    for(who: { user: string; roles: readonly string[]; admin?: boolean; status?: TaskRecord['status'] }): TaskRecord[] {
      const status = who.status ?? 'pending';
      const order = 'ORDER BY t.due_at IS NULL, t.due_at, t.created_at';
      if (who.admin) return db.prepare<[string], TaskRow>(`SELECT ${COLUMNS} ${FROM} WHERE t.status = ? ${order}`).all(status).map(toTask);
      const roles = who.roles.map(() => '?').join(', ');
      const assigned = `SELECT task_id FROM approval_assignees WHERE (kind = 'user' AND name = ?)${roles ? ` OR (kind = 'role' AND name IN (${roles}))` : ''}`;
      return db
        .prepare<unknown[], TaskRow>(`SELECT ${COLUMNS} ${FROM} WHERE t.status = ? AND t.id IN (${assigned}) ${order}`)
        .all(status, who.user, ...who.roles)
        .map(toTask);
    },
  };
}
