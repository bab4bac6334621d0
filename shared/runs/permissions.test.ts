// The role → permission table that the server enforces and the screens read to decide what to offer.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROLES, GRANTS, rolesGrant } from './permissions.js';

describe('rolesGrant', () => {
  it('grants each built-in role its row, and everyone the inbox', () => {
    expect(BUILT_IN_ROLES.filter((role) => rolesGrant([role], 'workflows:write'))).toEqual(['admin', 'editor']);
    expect(BUILT_IN_ROLES.filter((role) => rolesGrant([role], 'admin'))).toEqual(['admin']);
    expect(rolesGrant([], 'approvals:decide')).toBe(true);
    expect(rolesGrant(['approver', 'manager'], 'runs:read')).toBe(false);
    for (const role of BUILT_IN_ROLES) for (const permission of GRANTS[role]) expect(rolesGrant([role], permission)).toBe(true);
  });

  it('grants nothing for custom role names, even those every object inherits', () => {
    for (const role of ['manager', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(rolesGrant([role], 'runs:read'), role).toBe(false);
  });
});
