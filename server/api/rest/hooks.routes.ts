// Webhook triggers: POST /hooks/<slug>/<hookId>, outside /api and its tokens — the caller proves
// itself with the webhook's secret (server/triggers/webhook-auth.ts). The body is read as bytes
// (an HMAC signs exactly what was sent) up to the API's body limit, and each webhook is rate
// limited before its body is read, so a flood costs its sender 429s, not other runs their worker.
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LIMITS } from '../../../shared/limits.js';
import { ThrottledError } from '../../auth/login-throttle.js';
import type { TriggersService } from '../../triggers/triggers.service.js';
import { SIGNATURE_HEADER } from '../../triggers/webhook-auth.js';
import { traceparentHeader } from './traceparent-header.js';

/** Requests a minute one webhook takes by default (per API process). */
export const WEBHOOK_RATE_LIMIT = 600;

type HookRequest = FastifyRequest<{ Params: { slug: string; hookId: string } }>;

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

export async function hooksRoutes(app: FastifyInstance, triggers: TriggersService, options: { perMinute?: number } = {}): Promise<void> {
  const perMinute = options.perMinute ?? WEBHOOK_RATE_LIMIT;
  await app.register(async (scope) => {
    await scope.register(fastifyRateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => new ThrottledError(`this webhook takes at most ${context.max} requests a minute; try again in ${context.after}`, context.ttl),
    });
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: LIMITS.payloadBytes }, (_request, body, done) => done(null, body));

    scope.post('/hooks/:slug/:hookId', { config: { rateLimit: { max: perMinute, timeWindow: 60_000, keyGenerator: (request) => (request as HookRequest).params.hookId } } }, async (request: HookRequest, reply) => {
      const started = await triggers.receive({
        slug: request.params.slug,
        hookId: request.params.hookId,
        authorization: header(request, 'authorization'),
        signature: header(request, SIGNATURE_HEADER),
        idempotencyKey: header(request, 'idempotency-key'),
        traceparent: traceparentHeader(request.headers.traceparent),
        body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      });
      return reply.code(202).send({ id: started.id, version: started.version, status: started.status });
    });
  });
}
