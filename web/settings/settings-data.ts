// Settings data: users and tokens as the API returns them, and the role rules the server applies
// (server/auth/principal.ts), so forms can explain them before the server refuses.
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../app/trpc.js';

type Outputs = inferRouterOutputs<AppRouter>;
export type User = Outputs['users']['list'][number];
export type ApiToken = Outputs['tokens']['list'][number];

export const BUILT_IN_ROLES = [
  { role: 'admin', text: 'Everything, including users and API tokens' },
  { role: 'editor', text: 'Build, publish and run workflows; decide approvals' },
  { role: 'approver', text: 'The inbox only: decide approvals assigned to them or their roles' },
] as const;

export const isBuiltIn = (role: string) => BUILT_IN_ROLES.some((entry) => entry.role === role);

const ROLE_NAME = /^[a-z][a-z0-9_-]{0,39}$/;
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;
export const PASSWORD_MIN_LENGTH = 10;

/** Custom role names typed as free text, separated by commas: "manager, director" → ["manager", "director"]. */
export const parseRoleList = (text: string) => [...new Set(text.split(',').map((role) => role.trim()).filter(Boolean))];

export function roleProblems(builtIn: readonly string[], custom: readonly string[]): { error: string | null; warning: string | null } {
  const bad = custom.filter((role) => !ROLE_NAME.test(role));
  if (bad.length) return { error: `Role names are lower-case letters, digits, "-" or "_", starting with a letter: ${bad.map((role) => `“${role}”`).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not.`, warning: null };
  if (builtIn.length + custom.length === 0) return { error: 'Give the user at least one role.', warning: null };
  if (builtIn.length === 0) return { error: null, warning: 'With custom roles only, this user has the inbox and nothing else: they see and decide the tasks assigned to them or these roles.' };
  return { error: null, warning: null };
}
