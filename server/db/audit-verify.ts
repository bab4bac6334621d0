// Checking the audit log where it is stored (both dialects, as statement programs): the chain itself
// (audit-chain.ts), then every decision row against the audit entry that recorded it, so a decision
// altered in approval_decisions is caught as surely as an altered log entry.
import { chainVerifier, type AuditRow, type AuditVerdict } from './audit-chain.js';
import type { Dialect } from './dialect.js';
import { ms } from './postgres/sql-text.js';
import { read, type Program, type Row } from './statements.js';

const PAGE = 1000;

const toRow = (row: Row): AuditRow => ({
  seq: Number(row.seq), at: Math.round(Number(row.at)), kind: String(row.kind) as AuditRow['kind'], taskId: (row.task_id as string | null) ?? null,
  instanceId: (row.instance_id as string | null) ?? null, actor: (row.actor as string | null) ?? null, onBehalfOf: (row.on_behalf_of as string | null) ?? null,
  data: String(row.data), shownHash: (row.shown_hash as string | null) ?? null, prevHash: String(row.prev_hash), hash: String(row.hash),
});

/** A page of entries after `after`, in order. */
export function* auditPage(dialect: Dialect, after: number): Program<AuditRow[]> {
  const at = dialect === 'postgresql' ? `${ms('at')} AS at` : 'at';
  const rows = yield read(`SELECT seq, ${at}, kind, task_id, instance_id, actor, on_behalf_of, data, shown_hash, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ${PAGE}`, after);
  return rows.map(toRow);
}

/** Decision rows whose content differs from their audit entry (or whose entry is missing). */
export function* alteredDecisions(dialect: Dialect): Program<{ taskId: string; by: string; seq: number; problem: string }[]> {
  void dialect;
  const rows = yield read(
    `SELECT d.task_id, d."by", d.on_behalf_of, d.decision, d.comment, d.audit_seq, a.task_id AS entry_task, a.actor, a.on_behalf_of AS entry_for, a.kind, a.data
     FROM approval_decisions d LEFT JOIN audit_log a ON a.seq = d.audit_seq ORDER BY d.audit_seq`,
  );
  const altered: { taskId: string; by: string; seq: number; problem: string }[] = [];
  for (const row of rows) {
    const seq = Number(row.audit_seq);
    const what = `the decision of ${String(row.by)} on task ${String(row.task_id)}`;
    if (row.kind !== 'decided') {
      altered.push({ taskId: String(row.task_id), by: String(row.by), seq, problem: `${what} names audit entry ${seq}, which does not record it` });
      continue;
    }
    const data = JSON.parse(String(row.data)) as { decision?: string; comment?: string | null };
    const same = row.entry_task === row.task_id && row.actor === row.by && (row.entry_for ?? null) === (row.on_behalf_of ?? null) && data.decision === row.decision && (data.comment ?? null) === (row.comment ?? null);
    if (!same) altered.push({ taskId: String(row.task_id), by: String(row.by), seq, problem: `${what} was altered: it no longer matches audit entry ${seq}` });
  }
  return altered;
}

export type FullVerdict = AuditVerdict | { ok: false; entries: number; seq: number; problem: string; decision: true };

/** Verify the chain page by page (memory stays flat), then the decision rows. */
export async function verifyAuditLog(run: <T>(program: () => Program<T>) => Promise<T>, dialect: Dialect): Promise<FullVerdict> {
  const verifier = chainVerifier();
  for (let after = 0; ; ) {
    const page = await run(() => auditPage(dialect, after));
    if (page.length === 0) break;
    for (const row of page) {
      const problem = verifier.check(row);
      if (problem) return { ok: false, entries: verifier.entries, seq: row.seq, problem };
    }
    after = page[page.length - 1].seq;
  }
  const [altered] = await run(() => alteredDecisions(dialect));
  return altered ? { ok: false, entries: verifier.entries, seq: altered.seq, problem: altered.problem, decision: true } : verifier.verdict();
}
