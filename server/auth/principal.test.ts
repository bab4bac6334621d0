// The permission model around the inbox: everyone signed in has one (which tasks it holds is the
// engine's rule), and nothing else changes for a user whose only role is a custom one.
import { describe, expect, it } from 'vitest';
import { asApprover, can, type Permission, type Principal } from './principal.js';

const who = (roles: string[], kind: Principal['kind'] = 'user'): Principal => ({ kind, name: 'mara', roles });
const ALL: Permission[] = ['workflows:read', 'workflows:write', 'runs:read', 'runs:write', 'approvals:decide', 'admin'];
const granted = (principal: Principal) => ALL.filter((permission) => can(principal, permission));

describe('can', () => {
  it.each([
    [['manager'], ['approvals:decide']],
    [[], ['approvals:decide']],
    [['approver'], ['approvals:decide']],
    [['editor', 'manager'], ['workflows:read', 'workflows:write', 'runs:read', 'runs:write', 'approvals:decide']],
    [['admin'], ALL],
    // Role names are lower-case words; "constructor" is one, and every object inherits it.
    [['constructor', '__proto__', 'tostring'], ['approvals:decide']],
  ])('a principal with roles %j may %j', (roles, permissions) => expect(granted(who(roles))).toEqual(permissions));

  it('gives tokens the same', () => expect(granted(who(['manager'], 'token'))).toEqual(['approvals:decide']));
});

describe('asApprover', () => {
  it('is an admin only with the admin role', () => {
    expect(asApprover(who(['manager']))).toEqual({ user: 'mara', roles: ['manager'], admin: false });
    expect(asApprover(who(['admin'])).admin).toBe(true);
    expect(asApprover(who(['Admin'])).admin).toBe(false);
  });
});
