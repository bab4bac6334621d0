// REST v1: delegation — "away until D, my tasks go to U". GET lists the caller's (made by or to
// them), POST makes one, DELETE revokes one. Same schemas and service as tRPC's delegations.*.
import type { FastifyInstance } from 'fastify';
import type { DelegationsService } from '../../services/delegations.service.js';
import { requires } from '../auth.js';
import { createDelegationInput, delegationIdInput } from '../schemas/delegations.schemas.js';
import { parseInput } from '../schemas/fields.js';
import { body } from './context.js';

export function delegationsRoutes(app: FastifyInstance, delegations: DelegationsService): void {
  app.get('/api/v1/delegations', { preHandler: requires('approvals:decide') }, async (request) => delegations.list(request.principal!));
  app.post('/api/v1/delegations', { preHandler: requires('approvals:decide') }, async (request, reply) =>
    reply.code(201).send(await delegations.create(request.principal!, parseInput(createDelegationInput, body(request.body)))),
  );
  app.delete<{ Params: { id: string } }>('/api/v1/delegations/:id', { preHandler: requires('approvals:decide') }, async (request) =>
    delegations.revoke(request.principal!, parseInput(delegationIdInput, request.params).id),
  );
}
