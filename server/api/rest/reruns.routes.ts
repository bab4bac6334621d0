// REST v1: rerun a finished run from one of its nodes (DESIGN §4): POST /api/v1/instances/:id/rerun
// { fromNode, input?, onVersion? } → 201 with the new run, which names the earlier one and is named by it.
import type { FastifyInstance } from 'fastify';
import { requires } from '../auth.js';
import { parseInput } from '../schemas/fields.js';
import { rerunInput } from '../schemas/rerun.schemas.js';
import { body, type Services } from './context.js';

export function rerunsRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Params: { id: string } }>('/api/v1/instances/:id/rerun', { preHandler: requires('runs:write') }, async (request, reply) => {
    const given = body(request.body);
    const { id, fromNode, input, onVersion } = parseInput(rerunInput, { ...given, id: request.params.id });
    // `input: null` is a changed input too: only a field left out means "as the run first resolved it".
    const changed = Object.hasOwn(given, 'input') ? { value: input } : undefined;
    const started = await services.runs.rerun(id, { fromNode, input: changed, onVersion }, request.principal!.name);
    return reply.code(201).send(started);
  });
}
