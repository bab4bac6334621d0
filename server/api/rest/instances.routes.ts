// REST v1: starting runs, reading them, their history, signals and cancel (DESIGN §4). Inputs are
// read with the same schemas as the tRPC procedures (api/schemas/runs.schemas.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { startIdempotent } from '../../services/idempotent-start.js';
import { requires } from '../auth.js';
import { parseInput, runId, text } from '../schemas/fields.js';
import { cancelInput, listRunsInput, runInput, signalInput, startRunInput } from '../schemas/runs.schemas.js';
import { body, type Services } from './context.js';
import { traceparentHeader } from './traceparent-header.js';

type IdParams = { Params: { id: string } };

/** The `{ event, data }` body other durable-workflow products send (seed 000): the named-signal route's alias. */
const eventSignalInput = z.object({
  id: runId,
  event: text('event must be the signal\'s name, as text (the body is { "event": name, "data": … })').min(1, 'event must name the signal'),
  data: z.unknown().optional(),
});

export function instancesRoutes(app: FastifyInstance, { runs }: Services): void {
  app.post<{ Params: { slug: string } }>('/api/v1/workflows/:slug/instances', { preHandler: requires('runs:write') }, async (request, reply) => {
    const { input } = body(request.body);
    const { workflow, idempotencyKey } = parseInput(startRunInput, { workflow: request.params.slug, input, idempotencyKey: request.headers['idempotency-key'] });
    const started = await startIdempotent(runs, workflow, input, idempotencyKey, traceparentHeader(request.headers.traceparent), request.principal?.name);
    return reply.code(started.created ? 201 : 200).send({ id: started.id, version: started.version, status: started.status });
  });

  // Repeated query parameters (arrays) are refused before this (request-shape.ts).
  app.get('/api/v1/instances', { preHandler: requires('runs:read') }, async (request) => runs.list(parseInput(listRunsInput, request.query as Record<string, unknown>)));

  app.get<IdParams>('/api/v1/instances/:id', { preHandler: requires('runs:read') }, async (request) => runs.get(request.params.id));

  app.get<IdParams>('/api/v1/instances/:id/history', { preHandler: requires('runs:read') }, async (request) => runs.history(request.params.id));

  app.post<{ Params: { id: string; name: string } }>('/api/v1/instances/:id/signals/:name', { preHandler: requires('runs:write') }, async (request, reply) => {
    const { id, name, data } = parseInput(signalInput, { data: body(request.body).data, ...request.params });
    const { signalId } = await runs.signal(id, name, data);
    return reply.code(202).send({ signalId });
  });

  app.post<IdParams>('/api/v1/instances/:id/signal', { preHandler: requires('runs:write') }, async (request, reply) => {
    const { event, data } = body(request.body);
    const parsed = parseInput(eventSignalInput, { id: request.params.id, event, data });
    const { signalId } = await runs.signal(parsed.id, parsed.event, parsed.data);
    return reply.code(202).send({ signalId });
  });

  app.post<IdParams>('/api/v1/instances/:id/retry', { preHandler: requires('runs:write') }, async (request, reply) => {
    const { id } = parseInput(runInput, request.params);
    await runs.retry(id, request.principal!.name);
    return reply.code(202).send({ id, status: 'retrying' });
  });

  app.post<IdParams>('/api/v1/instances/:id/cancel', { preHandler: requires('runs:write') }, async (request, reply) => {
    const { id, compensate, reason } = parseInput(cancelInput, { ...body(request.body), id: request.params.id });
    await runs.cancel(id, { compensate, reason, by: request.principal!.name });
    return reply.code(202).send({ id, status: 'cancelling' });
  });
}
