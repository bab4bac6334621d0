// Authentication for every request: a bearer token (API token or CAIRN_ADMIN_TOKEN) or a session
// cookie. Cookie-authenticated mutations must echo the session's CSRF token in a header.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, type Permission, type Principal } from '../auth/principal.js';
import { ApiError } from '../errors.js';
import type { AccountsService } from '../services/accounts.service.js';

export const SESSION_COOKIE = 'cairn_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** Why the credentials sent were refused; reported only by routes that need them. */
    authError?: ApiError;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function resolvePrincipal(request: FastifyRequest, accounts: AccountsService): Promise<Principal | undefined> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await accounts.tokenPrincipal(match[1]) : undefined;
    if (!principal) throw new ApiError('UNAUTHENTICATED', 'the bearer token is not valid');
    return principal;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return undefined;
  const session = await accounts.session(cookie);
  if (!session) throw new ApiError('UNAUTHENTICATED', 'your session has expired; sign in again');
  if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
    throw new ApiError('FORBIDDEN', `a request signed in by cookie must send the ${CSRF_HEADER} header`);
  }
  return accounts.principalOf(session.user);
}

/** A route guard: the caller must be signed in and hold the permission. */
export function requires(permission: Permission) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (request.authError) throw request.authError;
    if (!request.principal) throw new ApiError('UNAUTHENTICATED', 'sign in, or send Authorization: Bearer <token>');
    if (!can(request.principal, permission)) throw new ApiError('FORBIDDEN', `${request.principal.name} may not do this (needs ${permission})`);
  };
}
