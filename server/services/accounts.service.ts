// Accounts: first-run owner set-up, sign-in with sessions (httpOnly cookie + CSRF token), API tokens
// shown once and stored hashed, and CAIRN_ADMIN_TOKEN. Resolves credentials to a Principal.
import { timingSafeEqual } from 'node:crypto';
import type { AccountsRepo, UserRecord } from '../db/repos/accounts.repo.js';
import type { Clock } from '../engine/clock.js';
import { LoginThrottle, type ThrottleLimits } from '../auth/login-throttle.js';
import { hashPassword, PASSWORD_MIN_LENGTH, verifyPassword } from '../auth/passwords.js';
import { BUILT_IN_ROLES, isRoleName, tokenRoles, type Principal } from '../auth/principal.js';
import { newSecret, sha256 } from '../auth/secrets.js';
import { ApiError } from '../errors.js';
import { ADDRESS } from '../actions/email.action.js';

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

export interface SessionInfo {
  user: UserRecord;
  csrfToken: string;
  expiresAt: Date;
}

function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH) {
    throw new ApiError('INVALID_INPUT', `password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  return password;
}

function checkCredentials(username: unknown, password: unknown): { username: string; password: string } {
  if (typeof username !== 'string' || !USERNAME.test(username)) {
    throw new ApiError('INVALID_INPUT', 'username must be 2–40 lower-case letters, digits, dots, dashes or underscores');
  }
  return { username, password: checkPassword(password) };
}

function checkRoles(roles: unknown): string[] {
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((role) => typeof role === 'string' && isRoleName(role))) {
    throw new ApiError('INVALID_INPUT', `roles must be a non-empty list of role names (built in: ${BUILT_IN_ROLES.join(', ')}; others for approval assignees)`);
  }
  return [...new Set(roles as string[])];
}

/** A user's e-mail address (approval e-mails go there): local@domain on one line; "" or null clears it. */
function checkEmail(email: unknown): string | null {
  if (email === null || email === '') return null;
  if (typeof email !== 'string') throw new ApiError('INVALID_INPUT', 'email must be text, or null to remove it');
  if (/[\r\n]/.test(email)) throw new ApiError('INVALID_INPUT', 'email must be one line: it contains a line break');
  if (email.length > 320 || !ADDRESS.test(email.trim())) throw new ApiError('INVALID_INPUT', `email is not an e-mail address (local@domain): ${JSON.stringify(email.slice(0, 80))}`);
  return email.trim();
}

const asPrincipal = (user: UserRecord): Principal => ({ kind: 'user', name: user.username, userId: user.id, roles: user.roles });

export interface AccountsDeps {
  repo: AccountsRepo;
  clock: Clock;
  adminToken?: string;
  sessionTtlMs?: number;
  throttle?: ThrottleLimits;
}

export function createAccountsService(deps: AccountsDeps) {
  const { repo, clock } = deps;
  const sessionTtlMs = deps.sessionTtlMs ?? 7 * 24 * 3_600_000;
  const now = () => new Date(clock.now());
  const throttle = new LoginThrottle(clock, deps.throttle);
  // Unknown names are checked against this hash, so they take as long as a wrong password.
  const dummyHash = hashPassword(newSecret());
  dummyHash.catch(() => undefined); // awaited at each use; this only keeps a failure from going unhandled

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

    /**
     * Sign-in, throttled per name and per client address (ThrottledError). An unknown name and a
     * wrong password get the same answer after the same work; a disabled user is told so only when
     * their password is right.
     */
    async login(body: { username?: unknown; password?: unknown }, address: string) {
      const { username, password } = body;
      if (typeof username !== 'string' || typeof password !== 'string') throw new ApiError('BAD_REQUEST', 'username and password must be text');
      const attempt = throttle.begin(username, address);
      const user = await repo.findUserByUsername(username);
      const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
      if (!user || !valid) throw new ApiError('UNAUTHENTICATED', 'wrong username or password');
      if (user.disabledAt) throw new ApiError('FORBIDDEN', 'this account is disabled; ask an admin to enable it');
      throttle.succeeded(attempt);
      const { passwordHash: _hash, ...record } = user;
      return startSession(record);
    },

    logout: (cookie: string) => repo.deleteSession(sha256(cookie)),

    /** The session behind a cookie, or undefined when unknown or expired (expired ones are removed). */
    async session(cookie: string): Promise<SessionInfo | undefined> {
      const session = await repo.findSession(sha256(cookie));
      if (!session) return undefined;
      // Disabling deletes the sessions; this covers one created while the user was being disabled.
      if (session.expiresAt.getTime() <= clock.now() || session.user.disabledAt) {
        await repo.deleteSession(session.id);
        return undefined;
      }
      return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },

    principalOf: asPrincipal,

    /**
     * A bearer token: CAIRN_ADMIN_TOKEN, or an API token. A token with an owner acts with no more
     * than the owner holds now, and not at all once the owner is disabled; one without an owner
     * (made by CAIRN_ADMIN_TOKEN automation) keeps its role.
     */
    async tokenPrincipal(token: string): Promise<Principal | undefined> {
      const admin = deps.adminToken;
      if (admin && Buffer.byteLength(token) === Buffer.byteLength(admin) && timingSafeEqual(Buffer.from(token), Buffer.from(admin))) {
        return { kind: 'token', name: 'admin-token', roles: ['admin'] };
      }
      const found = await repo.findToken(sha256(token));
      if (!found) return undefined;
      if (!found.user) return { kind: 'token', name: `token:${found.name}`, roles: [found.role] };
      if (found.user.disabledAt) throw new ApiError('UNAUTHENTICATED', `the owner of this token (${found.user.username}) is disabled`);
      return { kind: 'token', name: found.user.username, userId: found.user.id, roles: tokenRoles(found.role, found.user.roles) };
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

    async createUser(body: { username?: unknown; name?: unknown; password?: unknown; roles?: unknown; email?: unknown }) {
      const { username, password } = checkCredentials(body.username, body.password);
      const roles = checkRoles(body.roles);
      const email = body.email === undefined ? null : checkEmail(body.email);
      if (await repo.findUserByUsername(username)) throw new ApiError('CONFLICT', `a user named "${username}" exists`);
      const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim() : username;
      return repo.createUser({ username, name, passwordHash: await hashPassword(password), roles, now: now(), email });
    },
    listUsers: () => repo.listUsers(),
    async setRoles(userId: string, roles: unknown) {
      const user = await repo.setRoles(userId, checkRoles(roles));
      if (!user) throw new ApiError('NOT_FOUND', `no user with id "${userId}"`);
      return user;
    },
    /**
     * An admin changes a user: `disabled` (their sessions end at once and their tokens stop working;
     * never one's own account), `password` (their other sessions end; `keepCookie` is the caller's
     * own), `roles` and `email`. Everything is checked before anything is written.
     */
    async updateUser(userId: string, fields: { disabled?: unknown; password?: unknown; roles?: unknown; email?: unknown }, options: { by?: Principal; keepCookie?: string } = {}) {
      const { disabled } = fields;
      if (disabled !== undefined && typeof disabled !== 'boolean') throw new ApiError('BAD_REQUEST', 'disabled must be true or false');
      if (disabled && options.by?.userId === userId) throw new ApiError('CONFLICT', 'you cannot disable your own account');
      const password = fields.password === undefined ? undefined : checkPassword(fields.password);
      const roles = fields.roles === undefined ? undefined : checkRoles(fields.roles);
      const email = fields.email === undefined ? undefined : checkEmail(fields.email);
      if (disabled === undefined && password === undefined && !roles && email === undefined) throw new ApiError('BAD_REQUEST', 'send disabled, password, roles or email');
      let user: UserRecord | undefined;
      if (disabled !== undefined) user = await repo.setDisabled(userId, disabled ? now() : null);
      if (password !== undefined) user = await repo.setPassword(userId, await hashPassword(password), options.keepCookie ? sha256(options.keepCookie) : undefined);
      if (roles) user = await repo.setRoles(userId, roles);
      if (email !== undefined) user = await repo.setEmail(userId, email);
      if (!user) throw new ApiError('NOT_FOUND', `no user with id "${userId}"`);
      return user;
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
