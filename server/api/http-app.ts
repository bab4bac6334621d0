// The HTTP server: REST v1 at /api/v1 (and tRPC at /trpc), the built web app at /, one error
// mapping and one authentication step for every request.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { LIMITS } from '../../shared/limits.js';
import { ApiError } from '../errors.js';
import type { Logger } from '../logger.js';
import { resolvePrincipal } from './auth.js';
import { toHttpError } from './errors.js';
import { guardRequestShapes } from './rest/request-shape.js';
import { accountsRoutes } from './rest/accounts.routes.js';
import { credentialsRoutes } from '../credentials/credentials.routes.js';
import { hooksRoutes } from './rest/hooks.routes.js';
import { callbacksRoutes } from './rest/callbacks.routes.js';
import { emailDecisionsRoutes } from './rest/email-decisions.routes.js';
import { approvalsRoutes } from './rest/approvals.routes.js';
import { delegationsRoutes } from './rest/delegations.routes.js';
import { auditRoutes } from './rest/audit.routes.js';
import type { Services } from './rest/context.js';
import { instancesRoutes } from './rest/instances.routes.js';
import { operationsRoutes } from './rest/operations.routes.js';
import { scenariosRoutes } from './rest/scenarios.routes.js';
import { rerunsRoutes } from './rest/reruns.routes.js';
import { workflowsRoutes } from './rest/workflows.routes.js';
import { securityHeaders } from './security-headers.js';
import { metricsRoute } from '../telemetry/metrics-endpoint.js';

export interface AppOptions {
  services: Services;
  logger: Logger;
  /** The built web app (dist/web); served at / when present. */
  webRoot?: string;
  /** CAIRN_PUBLIC_URL: when it is https, cookies are `Secure` and HSTS is sent. */
  publicUrl?: string;
  /**
   * CAIRN_TRUST_PROXY: addresses (IPs, CIDRs, or `loopback`, `linklocal`, `uniquelocal`) of proxies
   * whose X-Forwarded-For and X-Forwarded-Proto are believed. Unset: no proxy is trusted.
   */
  trustProxy?: readonly string[];
  /** GET /metrics (Prometheus), refused without the token (server/telemetry/metrics-endpoint.ts). */
  metrics?: Parameters<typeof metricsRoute>[1];
  /** Extra routes (tRPC) registered by the caller. */
  extend?: (app: FastifyInstance) => Promise<void> | void;
  /** Requests a minute one webhook takes (default 600; benchmarks raise it). */
  webhookRateLimit?: number;
}

export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  const { services, logger } = options;
  // tRPC batches name every procedure in the path ("approvals.list,runs.get,…"): allow long ones.
  const trustProxy = options.trustProxy && options.trustProxy.length > 0 ? [...options.trustProxy] : false;
  const app = Fastify({ logger: false, bodyLimit: LIMITS.payloadBytes, trustProxy, routerOptions: { maxParamLength: 5_000 } });
  const https = options.publicUrl?.startsWith('https:') ?? false;
  securityHeaders(app, { https });
  await app.register(fastifyCookie);
  guardRequestShapes(app);

  app.addHook('onRequest', async (request) => {
    // A webhook's caller proves itself with the webhook's own secret, never an API token or session.
    if (request.url.startsWith('/hooks/')) return;
    try {
      request.principal = await resolvePrincipal(request, services.accounts);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      request.authError = error;
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body, headers } = toHttpError(error);
    if (status >= 500) logger.error('request failed', { method: request.method, url: request.url, error: String((error as Error).stack ?? error) });
    if (headers) void reply.headers(headers);
    return reply.code(status).send(body);
  });

  app.get('/api/v1/health', async () => ({ ok: true }));
  workflowsRoutes(app, services);
  instancesRoutes(app, services);
  approvalsRoutes(app, services);
  scenariosRoutes(app, services);
  operationsRoutes(app, services);
  rerunsRoutes(app, services);
  accountsRoutes(app, services, { secureCookies: https });
  if (services.credentials) credentialsRoutes(app, services.credentials);
  if (services.delegations) delegationsRoutes(app, services.delegations);
  if (services.audit) auditRoutes(app, services.audit);
  if (services.callbacks) callbacksRoutes(app, services.callbacks);
  if (services.emailDecisions) await emailDecisionsRoutes(app, services.emailDecisions, logger);
  if (services.triggers) await hooksRoutes(app, services.triggers, { perMinute: options.webhookRateLimit });
  if (options.metrics) metricsRoute(app, options.metrics);
  await options.extend?.(app);

  const webRoot = options.webRoot && existsSync(path.join(options.webRoot, 'index.html')) ? path.resolve(options.webRoot) : undefined;
  if (webRoot) await app.register(fastifyStatic, { root: webRoot, prefix: '/' });
  app.setNotFoundHandler((request, reply) => {
    // Only a GET (or HEAD) can be a page of the web app: anything else that matches no route is a
    // JSON 404, so a webhook posted to a wrong path is not answered 200 with the app's HTML.
    const page = request.method === 'GET' || request.method === 'HEAD';
    if (!page || request.url.startsWith('/api/') || request.url.startsWith('/trpc') || !webRoot) {
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
    }
    // The web app routes in the browser: every other GET serves its page.
    return reply.sendFile('index.html');
  });
  return app;
}
