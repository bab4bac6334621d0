// Inputs of sign-in and account management, for REST and tRPC alike. What makes a username,
// password or role name acceptable is the accounts service's rule (its messages name the field):
// these schemas give each operation its fields and their types for tRPC's callers.
import { z } from 'zod';

/** Checked by the accounts service, with a message that names the field. */
const checked = <T>() => z.custom<T>();

export const credentialsInput = z.object({ username: checked<string>(), password: checked<string>() });

export const setupInput = z.object({ username: checked<string>(), name: checked<string>().optional(), password: checked<string>() });

export const createUserInput = z.object({ username: checked<string>(), name: checked<string>().optional(), password: checked<string>(), roles: checked<string[]>(), email: checked<string | null>().optional() });

export const setRolesInput = z.object({ id: z.string(), roles: checked<string[]>() });

/** `{ disabled?, password?, roles?, email? }`; anything else is named and refused before any is applied. */
export const updateUserInput = z.strictObject(
  { id: z.string(), disabled: checked<boolean>().optional(), password: checked<string>().optional(), roles: checked<string[]>().optional(), email: checked<string | null>().optional() },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}: send disabled, password, roles or email` : undefined) },
);

export const createTokenInput = z.object({ name: z.string().max(100).optional(), role: checked<string>() });

export const idInput = z.object({ id: z.string() });
