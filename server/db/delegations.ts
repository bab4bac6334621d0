// Delegations ("away until D, delegate to U"), written once for both dialects as statement programs
// (statements.ts): creating one refuses an unknown or disabled delegate, a period that overlaps one
// of the delegator's own, and a loop (the delegate's chain, over that period, leading back); each is
// appended to the audit log in the same transaction. While active, a delegate stands in for the
// delegator — and, following the chain, for whoever delegated to the delegator (never in a loop).
import { chainEntries, type AuditDraft } from './audit-chain.js';
import type { Dialect } from './dialect.js';
import { AUDIT_LOCK } from './postgres/audit.js';
import { ms, ts } from './postgres/sql-text.js';
import { read, write, type Program, type Row } from './statements.js';

export interface DelegationRecord {
  id: string;
  fromUser: string;
  toUser: string;
  startsAt: number;
  endsAt: number;
  createdAt: number;
  createdBy: string;
  revokedAt: number | null;
}

export type DelegationRefusal = { ok: false; code: 'INVALID_INPUT' | 'CONFLICT' | 'NOT_FOUND'; message: string; details?: unknown };

/** A chain longer than this is cut short (loops are refused at creation; this bounds a read anyway). */
const MAX_CHAIN = 20;

const time = (dialect: Dialect) => (dialect === 'postgresql' ? ts('?') : '?');
const COLUMNS = (dialect: Dialect) => {
  const t = (name: string) => (dialect === 'postgresql' ? `${ms(name)} AS ${name}` : name);
  return `id, from_user, to_user, ${t('starts_at')}, ${t('ends_at')}, ${t('created_at')}, created_by, ${t('revoked_at')}`;
};

const toDelegation = (row: Row): DelegationRecord => ({
  id: String(row.id),
  fromUser: String(row.from_user),
  toUser: String(row.to_user),
  startsAt: Number(row.starts_at),
  endsAt: Number(row.ends_at),
  createdAt: Number(row.created_at),
  createdBy: String(row.created_by),
  revokedAt: row.revoked_at === null || row.revoked_at === undefined ? null : Number(row.revoked_at),
});

/** Append entries to the audit log inside the program's transaction (PostgreSQL: under the audit lock). */
export function* appendAuditEntries(dialect: Dialect, drafts: AuditDraft[]): Program<number[]> {
  if (dialect === 'postgresql') yield read('SELECT pg_advisory_xact_lock(?) AS locked', AUDIT_LOCK);
  const [head] = yield read('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const rows = chainEntries(head ? { seq: Number(head.seq), hash: String(head.hash) } : null, drafts);
  for (const row of rows) {
    yield write(
      `INSERT INTO audit_log (seq, at, kind, task_id, instance_id, actor, on_behalf_of, data, shown_hash, prev_hash, hash) VALUES (?, ${time(dialect)}, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.seq, row.at, row.kind, row.taskId, row.instanceId, row.actor, row.onBehalfOf, row.data, row.shownHash, row.prevHash, row.hash,
    );
  }
  return rows.map((row) => row.seq);
}

function* overlapping(dialect: Dialect, fromUser: string, period: { startsAt: number; endsAt: number }): Program<DelegationRecord[]> {
  const t = time(dialect);
  const rows = yield read(
    `SELECT ${COLUMNS(dialect)} FROM delegations WHERE from_user = ? AND revoked_at IS NULL AND starts_at < ${t} AND ends_at > ${t} ORDER BY starts_at`,
    fromUser, period.endsAt, period.startsAt,
  );
  return rows.map(toDelegation);
}

export function* createDelegation(
  dialect: Dialect,
  request: { id: string; fromUser: string; toUser: string; startsAt: number; endsAt: number; now: number; by: string },
): Program<{ ok: true; delegation: DelegationRecord } | DelegationRefusal> {
  const iso = (at: number) => new Date(at).toISOString();
  // Creations take turns (PostgreSQL: the audit log's lock, taken anyway below; SQLite has one writer),
  // so two made at once cannot both pass the overlap and loop checks (A → B and B → A together).
  if (dialect === 'postgresql') yield read('SELECT pg_advisory_xact_lock(?) AS locked', AUDIT_LOCK);
  const [delegate] = yield read(`SELECT username, ${dialect === 'postgresql' ? ms('disabled_at') : 'disabled_at'} AS disabled_at FROM users WHERE username = ?`, request.toUser);
  if (!delegate) return { ok: false, code: 'NOT_FOUND', message: `no user named "${request.toUser}" to delegate to` };
  if (delegate.disabled_at !== null && delegate.disabled_at !== undefined) return { ok: false, code: 'INVALID_INPUT', message: `user "${request.toUser}" is disabled and cannot decide tasks` };
  const [existing] = yield* overlapping(dialect, request.fromUser, request);
  if (existing) {
    return {
      ok: false, code: 'CONFLICT', details: { delegationId: existing.id },
      message: `${request.fromUser} already delegates to ${existing.toUser} from ${iso(existing.startsAt)} until ${iso(existing.endsAt)}, which overlaps; revoke it first`,
    };
  }
  // Follow the delegate's own delegations over this period: reaching the delegator would be a loop.
  const chain = [request.fromUser, request.toUser];
  for (let at = request.toUser; chain.length <= MAX_CHAIN; ) {
    const [next] = yield* overlapping(dialect, at, request);
    if (!next) break;
    chain.push(next.toUser);
    if (next.toUser === request.fromUser) {
      return { ok: false, code: 'CONFLICT', details: { chain }, message: `delegating to ${request.toUser} would make a loop: ${chain.join(' → ')}` };
    }
    at = next.toUser;
  }
  const t = time(dialect);
  yield write(
    `INSERT INTO delegations (id, from_user, to_user, starts_at, ends_at, created_at, created_by) VALUES (?, ?, ?, ${t}, ${t}, ${t}, ?)`,
    request.id, request.fromUser, request.toUser, request.startsAt, request.endsAt, request.now, request.by,
  );
  const data = { delegationId: request.id, from: request.fromUser, to: request.toUser, startsAt: iso(request.startsAt), endsAt: iso(request.endsAt) };
  yield* appendAuditEntries(dialect, [{ at: request.now, kind: 'delegation', taskId: null, instanceId: null, actor: request.by, onBehalfOf: null, data, shownHash: null }]);
  const delegation = { id: request.id, fromUser: request.fromUser, toUser: request.toUser, startsAt: request.startsAt, endsAt: request.endsAt, createdAt: request.now, createdBy: request.by, revokedAt: null };
  return { ok: true, delegation };
}

/** Revoke one: only its delegator or an admin (checked by the caller, which passes `fromUser` or null for an admin). */
export function* revokeDelegation(dialect: Dialect, request: { id: string; fromUser: string | null; now: number; by: string }): Program<DelegationRecord | undefined> {
  const [row] = yield read(`SELECT ${COLUMNS(dialect)} FROM delegations WHERE id = ? AND revoked_at IS NULL`, request.id);
  if (!row || (request.fromUser !== null && row.from_user !== request.fromUser)) return undefined;
  yield write(`UPDATE delegations SET revoked_at = ${time(dialect)} WHERE id = ?`, request.now, request.id);
  const data = { delegationId: request.id, from: row.from_user, to: row.to_user, revoked: true };
  yield* appendAuditEntries(dialect, [{ at: request.now, kind: 'delegation', taskId: null, instanceId: null, actor: request.by, onBehalfOf: null, data, shownHash: null }]);
  return { ...toDelegation(row), revokedAt: request.now };
}

/** Delegations made by or to `user` that have not ended or been revoked. */
export function* delegationsOf(dialect: Dialect, user: string, now: number): Program<DelegationRecord[]> {
  const rows = yield read(
    `SELECT ${COLUMNS(dialect)} FROM delegations WHERE (from_user = ? OR to_user = ?) AND revoked_at IS NULL AND ends_at > ${time(dialect)} ORDER BY starts_at`,
    user, user, now,
  );
  return rows.map(toDelegation);
}

/** Everyone `user` stands in for now, with their roles: direct delegators, then theirs, each once. */
export function* activeDelegators(dialect: Dialect, user: string, now: number): Program<{ user: string; roles: string[] }[]> {
  const t = time(dialect);
  const found = new Map<string, string[]>();
  let frontier = [user];
  for (let depth = 0; frontier.length > 0 && depth < MAX_CHAIN; depth++) {
    const next: string[] = [];
    for (const delegate of frontier) {
      const rows = yield read(
        `SELECT d.from_user, u.roles FROM delegations d LEFT JOIN users u ON u.username = d.from_user
         WHERE d.to_user = ? AND d.revoked_at IS NULL AND d.starts_at <= ${t} AND d.ends_at > ${t}`,
        delegate, now, now,
      );
      for (const row of rows) {
        const from = String(row.from_user);
        if (from === user || found.has(from)) continue;
        found.set(from, row.roles ? (JSON.parse(String(row.roles)) as string[]) : []);
        next.push(from);
      }
    }
    frontier = next;
  }
  return [...found].map(([from, roles]) => ({ user: from, roles }));
}
