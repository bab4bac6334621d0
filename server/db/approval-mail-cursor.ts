// The approval mailer's place in the audit log, as programs for both dialects (statements.ts). The
// log is the mailer's outbox: every task created, reminded or escalated is an entry, appended in the
// transaction that made it, in order. One API process at a time holds the cursor's lease and sends;
// the cursor moves past an entry once its e-mails are handed to the SMTP server, so a process dying
// in between sends that entry's e-mails again rather than never.
import type { Dialect } from './dialect.js';
import { ms, ts } from './postgres/sql-text.js';
import { read, write, type Program } from './statements.js';

const CURSOR = 'approvals';

export interface MailableEntry {
  seq: number;
  at: number;
  kind: string;
  taskId: string | null;
  /** The entry's details (JSON text, as chained). */
  data: string;
}

const time = (dialect: Dialect) => (dialect === 'postgresql' ? ts('?') : '?');

/**
 * The cursor's position when `owner` holds (or now takes) its lease until `now + leaseMs`; null when
 * another process holds it. The first take starts at the log's end: entries older than the mailer are
 * not e-mailed.
 */
export function* takeMailLease(dialect: Dialect, request: { owner: string; now: number; leaseMs: number }): Program<number | null> {
  const t = time(dialect);
  const [existing] = yield read(`SELECT seq FROM approval_mail_cursor WHERE id = ?`, CURSOR);
  if (!existing) {
    const [head] = yield read('SELECT COALESCE(MAX(seq), 0) AS seq FROM audit_log');
    yield write(`INSERT INTO approval_mail_cursor (id, seq, lease_owner, lease_until) VALUES (?, ?, NULL, NULL) ON CONFLICT (id) DO NOTHING`, CURSOR, Number(head.seq));
  }
  const [taken] = yield read(
    `UPDATE approval_mail_cursor SET lease_owner = ?, lease_until = ${t}
     WHERE id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until IS NULL OR lease_until < ${t}) RETURNING seq`,
    request.owner, request.now + request.leaseMs, CURSOR, request.owner, request.now,
  );
  return taken ? Number(taken.seq) : null;
}

/** Up to `limit` entries after `seq`, in order. */
export function* entriesAfter(dialect: Dialect, seq: number, limit: number): Program<MailableEntry[]> {
  const at = dialect === 'postgresql' ? `${ms('at')} AS at` : 'at';
  const rows = yield read(`SELECT seq, ${at}, kind, task_id, data FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`, seq, limit);
  return rows.map((row) => ({ seq: Number(row.seq), at: Number(row.at), kind: String(row.kind), taskId: row.task_id === null ? null : String(row.task_id), data: String(row.data) }));
}

/** Move the cursor to `seq` and renew the lease; false when `owner` no longer holds it (then it must stop). */
export function* advanceMailCursor(dialect: Dialect, request: { owner: string; seq: number; now: number; leaseMs: number }): Program<boolean> {
  const rows = yield read(
    `UPDATE approval_mail_cursor SET seq = ?, lease_until = ${time(dialect)} WHERE id = ? AND lease_owner = ? AND seq <= ? RETURNING seq`,
    request.seq, request.now + request.leaseMs, CURSOR, request.owner, request.seq,
  );
  return rows.length > 0;
}

export function* releaseMailLease(_dialect: Dialect, owner: string): Program<void> {
  yield write('UPDATE approval_mail_cursor SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?', CURSOR, owner);
}
