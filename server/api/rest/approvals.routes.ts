// REST v1: approval tasks and decisions (DESIGN §4). Every signed-in caller has an inbox; which tasks
// it holds, and which they may decide, is the one rule of the approvals service.
import type { FastifyInstance } from 'fastify';
import { requires } from '../auth.js';
import { body, type Services } from './context.js';

export function approvalsRoutes(app: FastifyInstance, { approvals }: Services): void {
  /** `?status=pending` (default) and `?scope=mine` (default: assigned to me or my roles) or `all` (admins). */
  app.get<{ Querystring: { status?: string; scope?: string } }>('/api/v1/approvals', { preHandler: requires('approvals:decide') }, async (request) =>
    approvals.list(request.principal!, { status: request.query.status, scope: request.query.scope }),
  );
  app.get<{ Params: { id: string } }>('/api/v1/approvals/:id', { preHandler: requires('approvals:decide') }, async (request) => approvals.get(request.principal!, request.params.id));
  app.post<{ Params: { id: string } }>('/api/v1/approvals/:id/decision', { preHandler: requires('approvals:decide') }, async (request) =>
    approvals.decide(request.principal!, request.params.id, body(request.body)),
  );
}
