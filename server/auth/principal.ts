// Who is calling, and what they may do. Roles: admin (everything), editor (workflows and runs),
// approver (their own approval tasks); any other role name only matters to approval assignees.
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

export function can(principal: Principal, permission: Permission): boolean {
  return principal.roles.some((role) => (GRANTS as Record<string, readonly Permission[] | undefined>)[role]?.includes(permission));
}

/** Built-in roles from least to most: each grants everything the one before it grants. */
const RANK: readonly BuiltInRole[] = ['approver', 'editor', 'admin'];

/**
 * The roles an API token acts with: never more than its owner holds now. The permissions of the
 * token's role and of the owner's current roles intersect; built-in roles form a chain, so that is
 * the lesser of the token's role and the owner's highest built-in role (none: no permissions).
 */
export function tokenRoles(tokenRole: string, ownerRoles: readonly string[]): string[] {
  const owner = Math.max(-1, ...ownerRoles.map((role) => RANK.indexOf(role as BuiltInRole)));
  const token = RANK.indexOf(tokenRole as BuiltInRole);
  const rank = Math.min(owner, token);
  return rank < 0 ? [] : [RANK[rank]];
}

/** How the engine sees the principal when deciding approvals. */
export function asApprover(principal: Principal): Approver {
  return { user: principal.name, roles: principal.roles, admin: principal.roles.includes('admin') };
}

/** A role name: built-in, or a custom name used by approval assignees (e.g. "manager"). */
export function isRoleName(role: string): boolean {
  return /^[a-z][a-z0-9_-]{0,39}$/.test(role);
}
