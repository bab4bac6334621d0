// Sign-in and account management: first-run set-up, login/logout, who am I, users and API tokens.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requires, SESSION_COOKIE } from '../auth.js';
import type { SessionInfo } from '../../services/accounts.service.js';
import { body, type Services } from './context.js';

function signedIn(reply: FastifyReply, cookie: string, session: SessionInfo, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, cookie, { httpOnly: true, sameSite: 'lax', path: '/', secure, expires: session.expiresAt });
  return { user: session.user, csrfToken: session.csrfToken };
}

export function accountsRoutes(app: FastifyInstance, { accounts }: Services, options: { secureCookies: boolean }): void {
  app.get('/api/v1/auth/setup', async () => ({ setupNeeded: await accounts.setupNeeded() }));

  app.post('/api/v1/auth/setup', async (request, reply) => {
    const { cookie, session } = await accounts.setup(body(request.body));
    return reply.code(201).send(signedIn(reply, cookie, session, options.secureCookies));
  });

  app.post('/api/v1/auth/login', async (request, reply) => {
    const { cookie, session } = await accounts.login(body(request.body));
    return signedIn(reply, cookie, session, options.secureCookies);
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
  app.post('/api/v1/users', { preHandler: requires('admin') }, async (request, reply) => reply.code(201).send(await accounts.createUser(body(request.body))));
  app.put<{ Params: { id: string } }>('/api/v1/users/:id/roles', { preHandler: requires('admin') }, async (request) => accounts.setRoles(request.params.id, body(request.body).roles));

  app.get('/api/v1/tokens', { preHandler: requires('admin') }, async () => accounts.listTokens());
  app.post('/api/v1/tokens', { preHandler: requires('admin') }, async (request, reply) => reply.code(201).send(await accounts.createToken(body(request.body), request.principal)));
  app.delete<{ Params: { id: string } }>('/api/v1/tokens/:id', { preHandler: requires('admin') }, async (request, reply) => {
    await accounts.revokeToken(request.params.id);
    return reply.code(204).send();
  });
}
