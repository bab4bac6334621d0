// What each built-in role may do: admin (everything), editor (workflows and runs), approver (the inbox
// only); any other role name only matters to approval assignees. The server enforces this table on
// every request (server/auth/principal.ts); screens read it only to decide which buttons to offer.

export type Permission = 'workflows:read' | 'workflows:write' | 'runs:read' | 'runs:write' | 'approvals:decide' | 'admin';

export const BUILT_IN_ROLES = ['admin', 'editor', 'approver'] as const;
export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

export const GRANTS: Readonly<Record<BuiltInRole, readonly Permission[]>> = {
  admin: ['workflows:read', 'workflows:write', 'runs:read', 'runs:write', 'approvals:decide', 'admin'],
  editor: ['workflows:read', 'workflows:write', 'runs:read', 'runs:write', 'approvals:decide'],
  approver: ['approvals:decide'],
};

/**
 * What every signed-in user and token may do, whatever their roles: open the inbox. A person whose
 * only role is a custom one (`manager`) must see and decide the tasks assigned to that role.
 */
export const EVERYONE: readonly Permission[] = ['approvals:decide'];

/** Whether holding `roles` grants `permission`. */
export function rolesGrant(roles: readonly string[], permission: Permission): boolean {
  if (EVERYONE.includes(permission)) return true;
  // Own keys only: a custom role may be named "constructor", which every object inherits.
  return roles.some((role) => Object.hasOwn(GRANTS, role) && GRANTS[role as BuiltInRole].includes(permission));
}
