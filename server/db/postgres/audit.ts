// The audit log on PostgreSQL: appended in the caller's transaction under a transaction-scoped
// advisory lock, so concurrent transactions (two workers' batches, decisions from several API
// processes) chain one after another. Callers lock the task rows they change before this (as the
// checkpoint writer does), so the lock order is always task rows, then the audit lock.
import { chainEntries, type AuditDraft, type AuditRow } from '../audit-chain.js';
import type { Queryable } from './sql.js';
import { ms, ts } from './sql-text.js';

/** An arbitrary constant naming the audit log's lock among the database's advisory locks. */
export const AUDIT_LOCK = 190_019;

export const AUDIT_COLUMNS = `seq, ${ms('at')} AS at, kind, task_id, instance_id, actor, on_behalf_of, data, shown_hash, prev_hash, hash`;

const INSERT = `INSERT INTO audit_log (seq, at, kind, task_id, instance_id, actor, on_behalf_of, data, shown_hash, prev_hash, hash)
  SELECT (r->>0)::int, ${ts("(r->>1)::float8")}, r->>2, r->>3, r->>4, r->>5, r->>6, r->>7, r->>8, r->>9, r->>10 FROM jsonb_array_elements($1::jsonb) r`;

export async function appendAudit(client: Queryable, drafts: readonly AuditDraft[]): Promise<AuditRow[]> {
  if (drafts.length === 0) return [];
  await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  const { rows: heads } = await client.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const rows = chainEntries(heads[0] ?? null, drafts);
  const values = rows.map((row) => [row.seq, row.at, row.kind, row.taskId, row.instanceId, row.actor, row.onBehalfOf, row.data, row.shownHash, row.prevHash, row.hash]);
  await client.query(INSERT, [JSON.stringify(values)]);
  return rows;
}
