// REST v1: the caller's approval tasks and decisions (DESIGN §4).
import type { FastifyInstance } from 'fastify';
import { requires } from '../auth.js';
import { body, type Services } from './context.js';

export function approvalsRoutes(app: FastifyInstance, { approvals }: Services): void {
  app.get<{ Querystring: { status?: string } }>('/api/v1/approvals', { preHandler: requires('approvals:decide') }, async (request) =>
    approvals.list(request.principal!, request.query.status),
  );
  app.get<{ Params: { id: string } }>('/api/v1/approvals/:id', { preHandler: requires('approvals:decide') }, async (request) => approvals.get(request.principal!, request.params.id));
  app.post<{ Params: { id: string } }>('/api/v1/approvals/:id/decision', { preHandler: requires('approvals:decide') }, async (request) =>
    approvals.decide(request.principal!, request.params.id, body(request.body)),
  );
}
