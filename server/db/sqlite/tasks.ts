// Approval tasks on SQLite: look-ups for the inbox and the one atomic write of a decision (the person's
// decision row, the task settled when the quorum says so, the audit entry and the inbox row for the run).
import type Database from 'better-sqlite3';
import { parsePolicy, quorumOutcome, tallyOf } from '../../../shared/runs/approval-policy.js';
import type { DecideOutcome, TaskDecision, TaskRecord } from '../../engine/store.js';
import { toTask, type TaskRow } from '../engine-rows.js';
import { alreadyDecided, decisionEntry } from '../task-decisions.js';
import { createAuditLog } from './audit.js';

const COLUMNS = `t.id, t.instance_id, w.slug, t.node_id, t.visit, t.title, t.details, t.data, t.form, t.shown_hash, t.status, t.due_at,
  t.created_at, t.decided_at, t.decided_by, t.decision, t.comment, t.form_values, t.on_behalf_of, t.policy, t.reminders, t.reminded_at, t.escalated_at,
  (SELECT json_group_array(json_object('by', d."by", 'onBehalfOf', d.on_behalf_of, 'decision', d.decision, 'comment', d.comment, 'at', d.at))
     FROM (SELECT * FROM approval_decisions WHERE task_id = t.id ORDER BY at, audit_seq) d) AS decisions,
  (SELECT json_group_array(name) FROM approval_assignees a WHERE a.task_id = t.id AND a.kind = 'user') AS users,
  (SELECT json_group_array(name) FROM approval_assignees a WHERE a.task_id = t.id AND a.kind = 'role') AS roles`;
const FROM = 'FROM approval_tasks t JOIN instances i ON i.id = t.instance_id JOIN workflows w ON w.id = i.workflow_id';

export function createTaskStore(db: Database.Database) {
  const byId = db.prepare<[string], TaskRow>(`SELECT ${COLUMNS} ${FROM} WHERE t.id = ?`);
  const pending = db.prepare<[string], { instance_id: string; policy: string | null; shown_hash: string }>(
    "SELECT instance_id, policy, shown_hash FROM approval_tasks WHERE id = ? AND status = 'pending'",
  );
  const votes = db.prepare<[string], { by: string; on_behalf_of: string | null; decision: string }>('SELECT "by", on_behalf_of, decision FROM approval_decisions WHERE task_id = ?');
  const insertVote = db.prepare(`INSERT INTO approval_decisions (task_id, "by", on_behalf_of, decision, comment, form_values, at, audit_seq)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const settle = db.prepare(`UPDATE approval_tasks SET status = ?, decided_at = ?, decided_by = ?, on_behalf_of = ?, decision = ?, comment = ?, form_values = ?
    WHERE id = ? AND status = 'pending'`);
  const postDecision = db.prepare(`INSERT INTO signals (id, instance_id, kind, data, created_at) VALUES (?, ?, 'decision', ?, ?)`);
  const audit = createAuditLog(db);

  // Typed as a plain function: declarations (tsc -b) cannot name better-sqlite3's Transaction type.
  const recordDecision: (decision: TaskDecision) => DecideOutcome = db.transaction((decision: TaskDecision): DecideOutcome => {
    const task = pending.get(decision.taskId);
    if (!task) return 'not-pending';
    const earlier = votes.all(decision.taskId);
    if (alreadyDecided(earlier.map((vote) => ({ by: vote.by, onBehalfOf: vote.on_behalf_of })), decision)) return 'already-decided';
    const outcome = quorumOutcome(parsePolicy(task.policy), tallyOf([...earlier, { decision: decision.status }]));
    const [entry] = audit.append([decisionEntry(decision, task.instance_id, task.shown_hash, outcome)]);
    const form = decision.form === undefined ? null : JSON.stringify(decision.form);
    insertVote.run(decision.taskId, decision.by, decision.onBehalfOf ?? null, decision.status, decision.comment ?? null, form, decision.at, entry.seq);
    if (outcome !== 'pending') settle.run(outcome, decision.at, decision.by, decision.onBehalfOf ?? null, outcome, decision.comment ?? null, form, decision.taskId);
    postDecision.run(decision.signalId, task.instance_id, JSON.stringify(decision.data), decision.at);
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
