// REST v1: the approvals' audit log, for admins — GET /api/v1/audit/verify checks the hash chain and
// the decision rows against it (as `cairn audit verify`), naming the first broken entry.
import type { FastifyInstance } from 'fastify';
import type { AuditService } from '../../services/audit.service.js';
import { requires } from '../auth.js';

export function auditRoutes(app: FastifyInstance, audit: AuditService): void {
  app.get('/api/v1/audit/verify', { preHandler: requires('admin') }, async () => audit.verify());
}
