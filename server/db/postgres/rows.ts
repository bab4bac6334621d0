// The column lists of the engine's PostgreSQL reads: the same row shapes as on SQLite (so the
// mapping in ../engine-rows.ts serves both), with times converted to epoch ms.
import { ms } from './sql.js';

export const INSTANCE_COLUMNS = `i.id, i.workflow_id, w.slug, i.version_id, i.version, i.status, i.input, i.output, i.error,
  i.state, i.rev, i.history_count, i.waiting_on, i.lease_owner, ${ms('i.lease_expires_at')} AS lease_expires_at, i.idempotency_key,
  i.parent_id, ${ms('i.created_at')} AS created_at, ${ms('i.updated_at')} AS updated_at, ${ms('i.finished_at')} AS finished_at`;

export const TIMER_COLUMNS = `t.id, t.instance_id, t.token_id, t.purpose, ${ms('t.due_at')} AS due_at`;

export const SIGNAL_COLUMNS = `s.id, s.instance_id, s.kind, s.name, s.data, ${ms('s.created_at')} AS created_at`;

export const TASK_COLUMNS = `t.id, t.instance_id, w.slug, t.node_id, t.visit, t.title, t.details, t.data, t.form, t.shown_hash, t.status,
  ${ms('t.due_at')} AS due_at, ${ms('t.created_at')} AS created_at, ${ms('t.decided_at')} AS decided_at, t.decided_by, t.decision, t.comment,
  t.form_values, t.on_behalf_of, t.policy, t.reminders, ${ms('t.reminded_at')} AS reminded_at, ${ms('t.escalated_at')} AS escalated_at,
  (SELECT COALESCE(json_agg(json_build_object('by', d."by", 'onBehalfOf', d.on_behalf_of, 'decision', d.decision, 'comment', d.comment, 'at', ${ms('d.at')})
     ORDER BY d.at, d.audit_seq), '[]')::text FROM approval_decisions d WHERE d.task_id = t.id) AS decisions,
  (SELECT COALESCE(json_agg(a.name), '[]')::text FROM approval_assignees a WHERE a.task_id = t.id AND a.kind = 'user') AS users,
  (SELECT COALESCE(json_agg(a.name), '[]')::text FROM approval_assignees a WHERE a.task_id = t.id AND a.kind = 'role') AS roles`;

export const TASK_FROM = 'FROM approval_tasks t JOIN instances i ON i.id = t.instance_id JOIN workflows w ON w.id = i.workflow_id';
