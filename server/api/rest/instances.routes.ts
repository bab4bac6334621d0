// REST v1: starting runs, reading them, their history, signals and cancel (DESIGN §4).
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { startIdempotent } from '../../services/idempotent-start.js';
import { requires } from '../auth.js';
import { wholeNumber } from './request-shape.js';
import { body, type Services } from './context.js';

type IdParams = { Params: { id: string } };

export function instancesRoutes(app: FastifyInstance, { runs }: Services): void {
  app.post<{ Params: { slug: string } }>('/api/v1/workflows/:slug/instances', { preHandler: requires('runs:write') }, async (request, reply) => {
    const { input } = body(request.body);
    const key = request.headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || !key.trim() || key.length > 200)) throw new ApiError('BAD_REQUEST', 'Idempotency-Key must be 1–200 characters');
    const started = await startIdempotent(runs, request.params.slug, input, key as string | undefined);
    return reply.code(started.created ? 201 : 200).send({ id: started.id, version: started.version, status: started.status });
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/instances', { preHandler: requires('runs:read') }, async (request) => {
    // Repeated parameters (arrays) are refused before this (request-shape.ts).
    const { workflow, version, status, waitingAt, cursor, limit } = request.query;
    const asNumber = (text: string | undefined, what: string) => (text === undefined ? undefined : wholeNumber(text, what, { min: 1, text: true }));
    return runs.list({ workflow, status, waitingAt, cursor, version: asNumber(version, 'version'), limit: asNumber(limit, 'limit') });
  });

  app.get<IdParams>('/api/v1/instances/:id', { preHandler: requires('runs:read') }, async (request) => runs.get(request.params.id));

  app.get<IdParams>('/api/v1/instances/:id/history', { preHandler: requires('runs:read') }, async (request) => runs.history(request.params.id));

  app.post<{ Params: { id: string; name: string } }>('/api/v1/instances/:id/signals/:name', { preHandler: requires('runs:write') }, async (request, reply) => {
    const { data } = body(request.body);
    const { signalId } = await runs.signal(request.params.id, request.params.name, data);
    return reply.code(202).send({ signalId });
  });

  app.post<IdParams>('/api/v1/instances/:id/retry', { preHandler: requires('runs:write') }, async (request, reply) => {
    await runs.retry(request.params.id, request.principal!.name);
    return reply.code(202).send({ id: request.params.id, status: 'retrying' });
  });

  app.post<IdParams>('/api/v1/instances/:id/cancel', { preHandler: requires('runs:write') }, async (request, reply) => {
    const { compensate, reason } = body(request.body);
    if (compensate !== undefined && typeof compensate !== 'boolean') throw new ApiError('INVALID_INPUT', 'compensate must be true or false');
    if (reason !== undefined && typeof reason !== 'string') throw new ApiError('INVALID_INPUT', 'reason must be text');
    await runs.cancel(request.params.id, { compensate, reason, by: request.principal!.name });
    return reply.code(202).send({ id: request.params.id, status: 'cancelling' });
  });
}
