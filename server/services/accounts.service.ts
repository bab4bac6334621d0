// Accounts: first-run owner set-up, sign-in with sessions (httpOnly cookie + CSRF token), API tokens
// shown once and stored hashed, and CAIRN_ADMIN_TOKEN. Resolves credentials to a Principal.
import { timingSafeEqual } from 'node:crypto';
import type { AccountsRepo, UserRecord } from '../db/repos/accounts.repo.js';
import type { Clock } from '../engine/clock.js';
import { hashPassword, PASSWORD_MIN_LENGTH, verifyPassword } from '../auth/passwords.js';
import { BUILT_IN_ROLES, isRoleName, type Principal } from '../auth/principal.js';
import { newSecret, sha256 } from '../auth/secrets.js';
import { ApiError } from '../errors.js';

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

export interface SessionInfo {
  user: UserRecord;
  csrfToken: string;
  expiresAt: Date;
}

function checkCredentials(username: unknown, password: unknown): { username: string; password: string } {
  if (typeof username !== 'string' || !USERNAME.test(username)) {
    throw new ApiError('INVALID_INPUT', 'username must be 2–40 lower-case letters, digits, dots, dashes or underscores');
  }
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH) {
    throw new ApiError('INVALID_INPUT', `password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  return { username, password };
}

function checkRoles(roles: unknown): string[] {
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((role) => typeof role === 'string' && isRoleName(role))) {
    throw new ApiError('INVALID_INPUT', `roles must be a non-empty list of role names (built in: ${BUILT_IN_ROLES.join(', ')}; others for approval assignees)`);
  }
  return [...new Set(roles as string[])];
}

const asPrincipal = (user: UserRecord): Principal => ({ kind: 'user', name: user.username, userId: user.id, roles: user.roles });

export function createAccountsService(deps: { repo: AccountsRepo; clock: Clock; adminToken?: string; sessionTtlMs?: number }) {
  const { repo, clock } = deps;
  const sessionTtlMs = deps.sessionTtlMs ?? 7 * 24 * 3_600_000;
  const now = () => new Date(clock.now());

  async function startSession(user: UserRecord): Promise<{ cookie: string; session: SessionInfo }> {
    const cookie = newSecret();
    const csrfToken = newSecret();
    const expiresAt = new Date(clock.now() + sessionTtlMs);
    await repo.createSession({ id: sha256(cookie), userId: user.id, csrfToken, now: now(), expiresAt });
    return { cookie, session: { user, csrfToken, expiresAt } };
  }

  return {
    setupNeeded: async () => (await repo.countUsers()) === 0,

    /** Create the owner (an admin) on a fresh database; refused once anyone exists. */
    async setup(body: { username?: unknown; name?: unknown; password?: unknown }) {
      const { username, password } = checkCredentials(body.username, body.password);
      const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim() : username;
      const user = await repo.createFirstUser({ username, name, passwordHash: await hashPassword(password), now: now() });
      if (!user) throw new ApiError('CONFLICT', 'set-up is done: an owner exists; sign in instead');
      return startSession(user);
    },

    async login(body: { username?: unknown; password?: unknown }) {
      const user = typeof body.username === 'string' ? await repo.findUserByUsername(body.username) : undefined;
      const valid = user && typeof body.password === 'string' && (await verifyPassword(body.password, user.passwordHash));
      if (!user || !valid) throw new ApiError('UNAUTHENTICATED', 'wrong username or password');
      const { passwordHash: _hash, ...record } = user;
      return startSession(record);
    },

    logout: (cookie: string) => repo.deleteSession(sha256(cookie)),

    /** The session behind a cookie, or undefined when unknown or expired (expired ones are removed). */
    async session(cookie: string): Promise<SessionInfo | undefined> {
      const session = await repo.findSession(sha256(cookie));
      if (!session) return undefined;
      if (session.expiresAt.getTime() <= clock.now()) {
        await repo.deleteSession(session.id);
        return undefined;
      }
      return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },

    principalOf: asPrincipal,

    /** A bearer token: CAIRN_ADMIN_TOKEN, or an API token. */
    async tokenPrincipal(token: string): Promise<Principal | undefined> {
      const admin = deps.adminToken;
      if (admin && token.length === admin.length && timingSafeEqual(Buffer.from(token), Buffer.from(admin))) {
        return { kind: 'token', name: 'admin-token', roles: ['admin'] };
      }
      const found = await repo.findToken(sha256(token));
      if (!found) return undefined;
      return { kind: 'token', name: found.user?.username ?? `token:${found.name}`, userId: found.user?.id, roles: [found.role] };
    },

    /** A new API token; the secret is returned once and only its hash is kept. */
    async createToken(body: { name?: unknown; role?: unknown }, owner?: Principal) {
      const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim() : 'token';
      if (typeof body.role !== 'string' || !(BUILT_IN_ROLES as readonly string[]).includes(body.role)) {
        throw new ApiError('INVALID_INPUT', `role must be one of ${BUILT_IN_ROLES.join(', ')}`);
      }
      const token = newSecret('cairn_');
      const row = await repo.createToken({ name, tokenHash: sha256(token), role: body.role, userId: owner?.userId, now: now() });
      return { id: row.id, name, role: body.role, token };
    },
    listTokens: () => repo.listTokens(),
    async revokeToken(id: string) {
      const { count } = await repo.revokeToken(id, now());
      if (count === 0) throw new ApiError('NOT_FOUND', `no active token with id "${id}"`);
    },

    async createUser(body: { username?: unknown; name?: unknown; password?: unknown; roles?: unknown }) {
      const { username, password } = checkCredentials(body.username, body.password);
      const roles = checkRoles(body.roles);
      if (await repo.findUserByUsername(username)) throw new ApiError('CONFLICT', `a user named "${username}" exists`);
      const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim() : username;
      return repo.createUser({ username, name, passwordHash: await hashPassword(password), roles, now: now() });
    },
    listUsers: () => repo.listUsers(),
    async setRoles(userId: string, roles: unknown) {
      const user = await repo.setRoles(userId, checkRoles(roles));
      if (!user) throw new ApiError('NOT_FOUND', `no user with id "${userId}"`);
      return user;
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
