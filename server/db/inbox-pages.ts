// The inbox's pages and claims, as programs for both dialects (statements.ts). A page is counted and
// cut on the server (LIMIT/OFFSET over the indexed assignee and status columns), so an inbox of
// 50,000 tasks opens as fast as one of fifty. The conditions are the one rule of engine.decidingAs
// in SQL — assigned to the person or to whom they stand in for, never to a user the task forbids —
// and every row a page answers is checked by the rule again in the service.
import type { AuditDraft } from './audit-chain.js';
import { appendAuditEntries } from './delegations.js';
import type { Dialect } from './dialect.js';
import { ms, ts } from './postgres/sql-text.js';
import { read, write, type Program } from './statements.js';

export type InboxTab = 'mine' | 'roles' | 'decided' | 'all';

/** The person and whom they stand in for (active delegations), each with their roles. */
export interface InboxPeople {
  user: string;
  people: readonly { user: string; roles: readonly string[] }[];
}

export interface Claim {
  taskId: string;
  username: string;
  claimedAt: number;
}

type Sql = { sql: string; params: unknown[] };

/** The task's policy forbids `user`. The policy text is searched for the name first: most never hold it, and that skips parsing. */
function forbidden(dialect: Dialect, user: string): Sql {
  const named = JSON.stringify(user);
  return dialect === 'postgresql'
    ? { sql: `(strpos(COALESCE(t.policy, ''), ?) > 0 AND COALESCE(t.policy::jsonb -> 'forbidden', '[]'::jsonb) @> jsonb_build_array(?::text))`, params: [named, user] }
    : { sql: `(instr(COALESCE(t.policy, ''), ?) > 0 AND EXISTS (SELECT 1 FROM json_each(t.policy, '$.forbidden') f WHERE f.value = ?))`, params: [named, user] };
}

function assignedTo(dialect: Dialect, person: { user: string; roles: readonly string[] }, how: 'user' | 'role' | 'any'): Sql {
  const roles = how === 'user' ? [] : person.roles;
  const byUser = how === 'role' ? null : "(a.kind = 'user' AND a.name = ?)";
  const byRole = roles.length > 0 ? `(a.kind = 'role' AND a.name IN (${roles.map(() => '?').join(', ')}))` : null;
  const either = [byUser, byRole].filter(Boolean).join(' OR ') || '1 = 0';
  const notForbidden = forbidden(dialect, person.user);
  return {
    sql: `(EXISTS (SELECT 1 FROM approval_assignees a WHERE a.task_id = t.id AND (${either})) AND NOT ${notForbidden.sql})`,
    params: [...(byUser ? [person.user] : []), ...roles, ...notForbidden.params],
  };
}

const anyOf = (parts: Sql[]): Sql => ({ sql: parts.length ? `(${parts.map((part) => part.sql).join(' OR ')})` : '1 = 0', params: parts.flatMap((part) => part.params) });

const and = (...parts: Sql[]): Sql => ({ sql: parts.map((part) => part.sql).join(' AND '), params: parts.flatMap((part) => part.params) });
const not = (part: Sql): Sql => ({ sql: `NOT ${part.sql}`, params: part.params });

/**
 * The conditions of the pending tabs: `open` (pending, not forbidden to me, not decided by me), and
 * within it `mine` (named to me or to whom I stand in for, or claimed by me) and `viaRole`.
 */
function pendingParts(dialect: Dialect, who: InboxPeople) {
  const decided = { sql: `EXISTS (SELECT 1 FROM approval_decisions d WHERE d.task_id = t.id AND (d."by" = ? OR d.on_behalf_of = ?))`, params: [who.user, who.user] };
  const open = and({ sql: "t.status = 'pending'", params: [] }, not(forbidden(dialect, who.user)), not(decided));
  const claimedByMe = { sql: 'EXISTS (SELECT 1 FROM approval_claims c WHERE c.task_id = t.id AND c.username = ?)', params: [who.user] };
  const named = anyOf(who.people.map((person) => assignedTo(dialect, person, 'user')));
  const anyway = anyOf(who.people.map((person) => assignedTo(dialect, person, 'any')));
  const mine = anyOf([named, and(claimedByMe, anyway)]);
  const viaRole = anyOf(who.people.map((person) => assignedTo(dialect, person, 'role')));
  return { open, mine, viaRole, decided };
}

/** The WHERE of a tab (over `approval_tasks t`) and its order. */
function tabFilter(dialect: Dialect, tab: InboxTab, who: InboxPeople): { where: Sql; order: Sql } {
  const pendingOrder = { sql: 'ORDER BY t.due_at IS NULL, t.due_at, t.created_at, t.id', params: [] };
  if (tab === 'all') return { where: { sql: "t.status = 'pending'", params: [] }, order: pendingOrder };
  const { open, mine, viaRole, decided } = pendingParts(dialect, who);
  if (tab === 'decided') {
    const latest = `(SELECT MAX(d.at) FROM approval_decisions d WHERE d.task_id = t.id AND d."by" = ?)`;
    return { where: decided, order: { sql: `ORDER BY ${latest} DESC, t.id`, params: [who.user] } };
  }
  return { where: and(open, tab === 'mine' ? mine : and(viaRole, not(mine))), order: pendingOrder };
}

/** One page of a tab: the task ids in order, and how many the tab holds (one pass: the count rides along as a window). */
export function* inboxPage(dialect: Dialect, request: { tab: InboxTab; who: InboxPeople; offset: number; limit: number }): Program<{ ids: string[]; total: number }> {
  const { where, order } = tabFilter(dialect, request.tab, request.who);
  const rows = yield read(
    `SELECT t.id, COUNT(*) OVER () AS total FROM approval_tasks t WHERE ${where.sql} ${order.sql} LIMIT ? OFFSET ?`,
    ...where.params, ...order.params, request.limit, request.offset,
  );
  if (rows.length > 0) return { ids: rows.map((row) => String(row.id)), total: Number(rows[0].total) };
  // Past the last page (or an empty tab): the count alone.
  const [count] = yield read(`SELECT COUNT(*) AS n FROM approval_tasks t WHERE ${where.sql}`, ...where.params);
  return { ids: [], total: Number(count.n) };
}

/** How many pending tasks each tab holds (the navigation's counts), in one pass over the open tasks. */
export function* inboxCounts(dialect: Dialect, who: InboxPeople, admin: boolean): Program<Record<'mine' | 'roles', number> & { all?: number }> {
  const { open, mine, viaRole } = pendingParts(dialect, who);
  const [row] = yield read(
    `SELECT COALESCE(SUM(CASE WHEN ${mine.sql} THEN 1 ELSE 0 END), 0) AS mine, COALESCE(SUM(CASE WHEN ${viaRole.sql} AND NOT ${mine.sql} THEN 1 ELSE 0 END), 0) AS roles
     FROM approval_tasks t WHERE ${open.sql}`,
    ...mine.params, ...viaRole.params, ...mine.params, ...open.params,
  );
  const counts = { mine: Number(row.mine), roles: Number(row.roles) };
  if (!admin) return counts;
  const [all] = yield read("SELECT COUNT(*) AS n FROM approval_tasks t WHERE t.status = 'pending'");
  return { ...counts, all: Number(all.n) };
}

const claimedAt = (dialect: Dialect) => (dialect === 'postgresql' ? `${ms('claimed_at')} AS claimed_at` : 'claimed_at');

export function* claimsOf(dialect: Dialect, taskIds: readonly string[]): Program<Claim[]> {
  if (taskIds.length === 0) return [];
  const rows = yield read(`SELECT task_id, username, ${claimedAt(dialect)} FROM approval_claims WHERE task_id IN (${taskIds.map(() => '?').join(', ')})`, ...taskIds);
  return rows.map((row) => ({ taskId: String(row.task_id), username: String(row.username), claimedAt: Number(row.claimed_at) }));
}

/** Claim a pending task for `user`: the claim there is, when someone else holds it; audited. */
export function* claimTask(dialect: Dialect, request: { taskId: string; instanceId: string; user: string; now: number }): Program<{ ok: true; claim: Claim } | { ok: false; held: Claim }> {
  if (dialect === 'postgresql') yield read("SELECT id FROM approval_tasks WHERE id = ? AND status = 'pending' FOR UPDATE", request.taskId);
  const [held] = yield* claimsOf(dialect, [request.taskId]);
  if (held && held.username !== request.user) return { ok: false, held };
  if (held) return { ok: true, claim: held };
  yield write(`INSERT INTO approval_claims (task_id, username, claimed_at) VALUES (?, ?, ${dialect === 'postgresql' ? ts('?') : '?'})`, request.taskId, request.user, request.now);
  yield* appendAuditEntries(dialect, [audit('claimed', request)]);
  return { ok: true, claim: { taskId: request.taskId, username: request.user, claimedAt: request.now } };
}

/** Release a claim (its holder, or an admin for anyone): the claim released, or undefined when there was none. */
export function* unclaimTask(dialect: Dialect, request: { taskId: string; instanceId: string; user: string; now: number }): Program<Claim | undefined> {
  const [held] = yield* claimsOf(dialect, [request.taskId]);
  if (!held) return undefined;
  yield write('DELETE FROM approval_claims WHERE task_id = ?', request.taskId);
  yield* appendAuditEntries(dialect, [{ ...audit('unclaimed', request), data: { held: held.username } }]);
  return held;
}

function audit(kind: 'claimed' | 'unclaimed', request: { taskId: string; instanceId: string; user: string; now: number }): AuditDraft {
  return { at: request.now, kind, taskId: request.taskId, instanceId: request.instanceId, actor: request.user, onBehalfOf: null, data: {}, shownHash: null };
}
