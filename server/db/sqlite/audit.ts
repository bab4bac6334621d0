// The audit log on SQLite: appended inside the caller's transaction (SQLite has one writer, so the
// head read here is the head the new entries follow), and read back in order for verification.
import type Database from 'better-sqlite3';
import { chainEntries, type AuditDraft, type AuditRow } from '../audit-chain.js';

interface AuditDbRow {
  seq: number;
  at: number;
  kind: string;
  task_id: string | null;
  instance_id: string | null;
  actor: string | null;
  on_behalf_of: string | null;
  data: string;
  shown_hash: string | null;
  prev_hash: string;
  hash: string;
}

export const toAuditRow = (row: AuditDbRow): AuditRow => ({
  seq: Number(row.seq), at: Number(row.at), kind: row.kind as AuditRow['kind'], taskId: row.task_id, instanceId: row.instance_id, actor: row.actor,
  onBehalfOf: row.on_behalf_of, data: row.data, shownHash: row.shown_hash, prevHash: row.prev_hash, hash: row.hash,
});

export function createAuditLog(db: Database.Database) {
  const head = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(`INSERT INTO audit_log (seq, at, kind, task_id, instance_id, actor, on_behalf_of, data, shown_hash, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const all = db.prepare<[number], AuditDbRow>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000');
  return {
    /** Only inside a transaction. Returns the stored entries (their seq numbers). */
    append(drafts: readonly AuditDraft[]): AuditRow[] {
      if (drafts.length === 0) return [];
      const rows = chainEntries(head.get() ?? null, drafts);
      for (const row of rows) insert.run(row.seq, row.at, row.kind, row.taskId, row.instanceId, row.actor, row.onBehalfOf, row.data, row.shownHash, row.prevHash, row.hash);
      return rows;
    },
    /** Every entry in order, a page at a time. */
    *entries(): Generator<AuditRow> {
      for (let after = 0; ; ) {
        const page = all.all(after);
        if (page.length === 0) return;
        for (const row of page) yield toAuditRow(row);
        after = Number(page[page.length - 1].seq);
      }
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
