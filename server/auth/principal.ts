// Who is calling, and what they may do. Roles: admin (everything), editor (workflows and runs),
// approver (the inbox only); any other role name only matters to approval assignees. Everyone
// signed in has an inbox: which tasks they see and decide is the engine's rule (mayDecide).
import { BUILT_IN_ROLES, rolesGrant, type BuiltInRole, type Permission } from '../../shared/runs/permissions.js';
import type { Approver } from '../engine/engine.js';

export { BUILT_IN_ROLES, type BuiltInRole, type Permission } from '../../shared/runs/permissions.js';

export interface Principal {
  kind: 'user' | 'token';
  /** The user's name, or the token's name for tokens that belong to nobody. */
  name: string;
  userId?: string;
  roles: readonly string[];
}

export function can(principal: Principal, permission: Permission): boolean {
  return rolesGrant(principal.roles, permission);
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
