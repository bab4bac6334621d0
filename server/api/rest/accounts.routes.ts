// Sign-in and account management: first-run set-up, login/logout, who am I, users (roles, disabling,
// a new password) and API tokens. Inputs are read with the same schemas as the tRPC procedures
// (api/schemas/accounts.schemas.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requires, SESSION_COOKIE } from '../auth.js';
import { createTokenInput, createUserInput, credentialsInput, idInput, setRolesInput, setupInput, updateUserInput } from '../schemas/accounts.schemas.js';
import { parseInput } from '../schemas/fields.js';
import type { SessionInfo } from '../../services/accounts.service.js';
import { body, type Services } from './context.js';

export interface AccountsRouteOptions {
  /** CAIRN_PUBLIC_URL is https: every session cookie is `Secure`. */
  secureCookies: boolean;
}

type UserParams = { Params: { id: string } };

export function accountsRoutes(app: FastifyInstance, { accounts }: Services, options: AccountsRouteOptions): void {
  // Over HTTPS, directly or as a trusted proxy says (X-Forwarded-Proto; see CAIRN_TRUST_PROXY), the
  // cookie is never sent back over plain HTTP.
  function signedIn(request: FastifyRequest, reply: FastifyReply, cookie: string, session: SessionInfo) {
    const secure = options.secureCookies || request.protocol === 'https';
    reply.setCookie(SESSION_COOKIE, cookie, { httpOnly: true, sameSite: 'lax', path: '/', secure, expires: session.expiresAt });
    return { user: session.user, csrfToken: session.csrfToken };
  }

  app.get('/api/v1/auth/setup', async () => ({ setupNeeded: await accounts.setupNeeded() }));

  app.post('/api/v1/auth/setup', async (request, reply) => {
    const { cookie, session } = await accounts.setup(parseInput(setupInput, body(request.body)));
    return reply.code(201).send(signedIn(request, reply, cookie, session));
  });

  app.post('/api/v1/auth/login', async (request, reply) => {
    const { cookie, session } = await accounts.login(parseInput(credentialsInput, body(request.body)), request.ip);
    return signedIn(request, reply, cookie, session);
  });

  app.post('/api/v1/auth/logout', async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) await accounts.logout(cookie);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/v1/auth/me', async (request) => {
    const cookie = request.cookies[SESSION_COOKIE];
    const session = cookie ? await accounts.session(cookie) : undefined;
    return { principal: request.principal ?? null, csrfToken: session?.csrfToken ?? null };
  });

  app.get('/api/v1/users', { preHandler: requires('admin') }, async () => accounts.listUsers());
  app.post('/api/v1/users', { preHandler: requires('admin') }, async (request, reply) => reply.code(201).send(await accounts.createUser(parseInput(createUserInput, body(request.body)))));
  app.put<UserParams>('/api/v1/users/:id/roles', { preHandler: requires('admin') }, async (request) => {
    const { id, roles } = parseInput(setRolesInput, { ...body(request.body), id: request.params.id });
    return accounts.setRoles(id, roles);
  });

  /** `{ disabled?, password?, roles? }`, all checked before any is applied. */
  app.patch<UserParams>('/api/v1/users/:id', { preHandler: requires('admin') }, async (request) => {
    const { id, ...fields } = parseInput(updateUserInput, { ...body(request.body), id: request.params.id });
    return accounts.updateUser(id, fields, { by: request.principal, keepCookie: request.cookies[SESSION_COOKIE] });
  });

  app.get('/api/v1/tokens', { preHandler: requires('admin') }, async () => accounts.listTokens());
  app.post('/api/v1/tokens', { preHandler: requires('admin') }, async (request, reply) => reply.code(201).send(await accounts.createToken(parseInput(createTokenInput, body(request.body)), request.principal)));
  app.delete<{ Params: { id: string } }>('/api/v1/tokens/:id', { preHandler: requires('admin') }, async (request, reply) => {
    await accounts.revokeToken(parseInput(idInput, request.params).id);
    return reply.code(204).send();
  });
}
