// Who is calling, and what they may do. Roles: admin (everything), editor (workflows and runs),
// approver (the inbox only); any other role name only matters to approval assignees. Everyone
// signed in has an inbox: which tasks they see and decide is the engine's rule (mayDecide).
import type { Approver } from '../engine/engine.js';

export type Permission = 'workflows:read' | 'workflows:write' | 'runs:read' | 'runs:write' | 'approvals:decide' | 'admin';

export const BUILT_IN_ROLES = ['admin', 'editor', 'approver'] as const;
export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

const GRANTS: Record<BuiltInRole, readonly Permission[]> = {
  admin: ['workflows:read', 'workflows:write', 'runs:read', 'runs:write', 'approvals:decide', 'admin'],
  editor: ['workflows:read', 'workflows:write', 'runs:read', 'runs:write', 'approvals:decide'],
  approver: ['approvals:decide'],
};

export interface Principal {
  kind: 'user' | 'token';
  /** The user's name, or the token's name for tokens that belong to nobody. */
  name: string;
  userId?: string;
  roles: readonly string[];
}

/**
 * What every signed-in user and token may do, whatever their roles: open the inbox. A person whose
 * only role is a custom one (`manager`) must see and decide the tasks assigned to that role.
 */
const EVERYONE: readonly Permission[] = ['approvals:decide'];

export function can(principal: Principal, permission: Permission): boolean {
  if (EVERYONE.includes(permission)) return true;
  // Own keys only: a custom role may be named "constructor", which every object inherits.
  return principal.roles.some((role) => Object.hasOwn(GRANTS, role) && GRANTS[role as BuiltInRole].includes(permission));
}

/** Built-in roles from least to most: each grants everything the one before it grants. */
const RANK: readonly BuiltInRole[] = ['approver', 'editor', 'admin'];

/**
 * The roles an API token acts with: never more than its owner holds now. The permissions of the
 * token's role and of the owner's current roles intersect; built-in roles form a chain, so that is
 * the lesser of the token's role and the owner's highest built-in role (none: no permissions). The
 * owner's custom roles (`manager`) come along: they grant no permission, only the approval tasks
 * assigned to them, which the owner sees and decides anyway.
 */
export function tokenRoles(tokenRole: string, ownerRoles: readonly string[]): string[] {
  const owner = Math.max(-1, ...ownerRoles.map((role) => RANK.indexOf(role as BuiltInRole)));
  const token = RANK.indexOf(tokenRole as BuiltInRole);
  const rank = Math.min(owner, token);
  const custom = ownerRoles.filter((role) => !(BUILT_IN_ROLES as readonly string[]).includes(role));
  return [...(rank < 0 ? [] : [RANK[rank]]), ...custom];
}

/** How the engine sees the principal when it applies the approvals rule. */
export function asApprover(principal: Principal): Approver {
  return { user: principal.name, roles: principal.roles, admin: principal.roles.includes('admin') };
}

/** A role name: built-in, or a custom name used by approval assignees (e.g. "manager"). */
export function isRoleName(role: string): boolean {
  return /^[a-z][a-z0-9_-]{0,39}$/.test(role);
}
