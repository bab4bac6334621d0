// REST v1 for an operator (issue 18): pause and resume a run, a queued run's place, a workflow's
// concurrency limit, and bulk actions on the runs a filter matches (preview, confirm, progress).
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { requires } from '../auth.js';
import { body, type Services } from './context.js';

type IdParams = { Params: { id: string } };

function optionalReason(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError('BAD_REQUEST', 'reason must be text');
  return value;
}

export function operationsRoutes(app: FastifyInstance, { operations, bulk }: Services): void {
  if (!operations || !bulk) return;

  app.post<IdParams>('/api/v1/instances/:id/pause', { preHandler: requires('runs:write') }, async (request, reply) => {
    const reason = optionalReason(body(request.body).reason);
    await operations.pause(request.params.id, { by: request.principal!.name, reason });
    return reply.code(202).send({ id: request.params.id, status: 'pausing' });
  });

  app.post<IdParams>('/api/v1/instances/:id/resume', { preHandler: requires('runs:write') }, async (request, reply) => {
    body(request.body);
    await operations.resume(request.params.id, { by: request.principal!.name });
    return reply.code(202).send({ id: request.params.id, status: 'resuming' });
  });

  app.get<IdParams>('/api/v1/instances/:id/queue', { preHandler: requires('runs:read') }, async (request) => {
    const position = await operations.queuePosition(request.params.id);
    return { id: request.params.id, queued: position !== null, position };
  });

  app.get<{ Params: { slug: string } }>('/api/v1/workflows/:slug/concurrency', { preHandler: requires('workflows:read') }, async (request) => operations.concurrency(request.params.slug));

  app.put<{ Params: { slug: string } }>('/api/v1/workflows/:slug/concurrency', { preHandler: requires('workflows:write') }, async (request) => {
    const fields = body(request.body);
    if (!('limit' in fields)) throw new ApiError('BAD_REQUEST', 'send { "limit": <whole number> } or { "limit": null } for no limit');
    return operations.setConcurrency(request.params.slug, fields.limit);
  });

  app.post('/api/v1/bulk-actions/preview', { preHandler: requires('runs:read') }, async (request) => bulk.preview(body(request.body)));

  app.post('/api/v1/bulk-actions', { preHandler: requires('runs:write') }, async (request, reply) => reply.code(202).send(await bulk.create(body(request.body), request.principal!.name)));

  app.get('/api/v1/bulk-actions', { preHandler: requires('runs:read') }, async () => bulk.list());

  app.get<IdParams>('/api/v1/bulk-actions/:id', { preHandler: requires('runs:read') }, async (request) => bulk.get(request.params.id));
}
