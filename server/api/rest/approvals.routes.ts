// REST v1: approval tasks and decisions (DESIGN §4). Every signed-in caller has an inbox; which tasks
// it holds, and which they may decide, is the one rule of the approvals service. Inputs are read with
// the same schemas as the tRPC procedures (api/schemas/approvals.schemas.ts).
import type { FastifyInstance } from 'fastify';
import { requires } from '../auth.js';
import { approvalInput, decideInput, listApprovalsInput } from '../schemas/approvals.schemas.js';
import { parseInput } from '../schemas/fields.js';
import { body, type Services } from './context.js';

export function approvalsRoutes(app: FastifyInstance, { approvals }: Services): void {
  /** `?status=pending` (default) and `?scope=mine` (default: assigned to me or my roles) or `all` (admins). */
  app.get('/api/v1/approvals', { preHandler: requires('approvals:decide') }, async (request) =>
    approvals.list(request.principal!, parseInput(listApprovalsInput, request.query as Record<string, unknown>)),
  );
  app.get<{ Params: { id: string } }>('/api/v1/approvals/:id', { preHandler: requires('approvals:decide') }, async (request) =>
    approvals.get(request.principal!, parseInput(approvalInput, request.params).id),
  );
  app.post<{ Params: { id: string } }>('/api/v1/approvals/:id/decision', { preHandler: requires('approvals:decide') }, async (request) => {
    const { id, ...decision } = parseInput(decideInput, { ...body(request.body), id: request.params.id });
    return approvals.decide(request.principal!, id, decision);
  });
}
