// The tamper-evident audit log of approval tasks: entry n carries the hash of entry n−1, and its own
// hash covers its sequence number, time, kind, task, run, actor, "on behalf of", details and the hash
// of what the approver was shown. Changing, removing or reordering any stored entry breaks every hash
// from there on; `cairn audit verify` recomputes the chain and names the first entry that does not fit.
// Pure: the stores append under their own lock (SQLite's single writer, a PostgreSQL advisory lock).
import { createHash } from 'node:crypto';

export type AuditKind = 'created' | 'reminded' | 'escalated' | 'decided' | 'auto_decided' | 'timed_out' | 'cancelled' | 'delegation' | 'claimed' | 'unclaimed';

/** An entry before it is chained. */
export interface AuditDraft {
  at: number;
  kind: AuditKind;
  taskId: string | null;
  instanceId: string | null;
  actor: string | null;
  onBehalfOf: string | null;
  data: unknown;
  shownHash: string | null;
}

/** An entry as stored: `data` is the canonical JSON text the hash was computed over. */
export interface AuditRow extends Omit<AuditDraft, 'data'> {
  seq: number;
  data: string;
  prevHash: string;
  hash: string;
}

/** The "previous hash" of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export function entryHash(row: Omit<AuditRow, 'hash'>): string {
  const fields = [row.seq, row.at, row.kind, row.taskId, row.instanceId, row.actor, row.onBehalfOf, row.data, row.shownHash];
  return createHash('sha256').update(`${row.prevHash}\n${JSON.stringify(fields)}`).digest('hex');
}

/** Chain drafts after `head` (the last stored entry, or null for an empty log). */
export function chainEntries(head: { seq: number; hash: string } | null, drafts: readonly AuditDraft[]): AuditRow[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return drafts.map((draft) => {
    seq += 1;
    const unsealed = { ...draft, seq, data: canonicalJson(draft.data ?? null), prevHash };
    const hash = entryHash(unsealed);
    prevHash = hash;
    return { ...unsealed, hash };
  });
}

export type AuditVerdict = { ok: true; entries: number; head: string } | { ok: false; entries: number; seq: number; problem: string };

/**
 * Checks rows fed in `seq` order (so a log of any length is checked a page at a time): numbering
 * without gaps, each entry naming the previous one's hash, and each hash matching the entry's content.
 * `check` answers the first problem of a row, or null.
 */
export function chainVerifier() {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  return {
    check(row: AuditRow): string | null {
      if (row.seq !== expectedSeq) return `entry ${expectedSeq} is missing (the next stored entry is ${row.seq})`;
      if (row.prevHash !== prevHash) {
        return `entry ${row.seq} does not follow entry ${row.seq - 1}: its previous hash is ${row.prevHash.slice(0, 12)}…, entry ${row.seq - 1}'s hash is ${prevHash.slice(0, 12)}…`;
      }
      const { hash: _stored, ...unsealed } = row;
      if (entryHash(unsealed) !== row.hash) return `entry ${row.seq} (${row.kind}${row.taskId ? ` of task ${row.taskId}` : ''}) was altered: its content no longer matches its hash`;
      prevHash = row.hash;
      expectedSeq += 1;
      entries += 1;
      return null;
    },
    verdict: (): AuditVerdict => ({ ok: true, entries, head: prevHash }),
    get entries() {
      return entries;
    },
  };
}

export function verifyEntries(rows: Iterable<AuditRow>): AuditVerdict {
  const verifier = chainVerifier();
  for (const row of rows) {
    const problem = verifier.check(row);
    if (problem) return { ok: false, entries: verifier.entries, seq: row.seq, problem };
  }
  return verifier.verdict();
}
