// Inputs of the approval operations, for REST and tRPC alike.
import { z } from 'zod';
import { SCOPES, TASK_STATUSES } from '../../services/approvals.service.js';
import { refusedAs, text } from './fields.js';

/** `status` (default pending); `scope`: "mine" (assigned to me or my roles; the default) or "all" (admins only). */
export const listApprovalsInput = z.object({
  status: z.enum(TASK_STATUSES, { error: `status must be one of ${TASK_STATUSES.join(', ')}` }).optional(),
  scope: z.enum(SCOPES, { error: 'scope must be "mine" (tasks assigned to you or your roles) or "all" (every task; admins only)' }).optional(),
});

export const approvalInput = z.object({ id: z.string() });

export const decideInput = z.object({
  id: z.string(),
  decision: refusedAs('INVALID_INPUT', z.enum(['approve', 'reject'], { error: 'decision must be "approve" or "reject"' })),
  comment: refusedAs('INVALID_INPUT', text('comment must be text').max(10_000).optional()),
  form: z.unknown().optional(),
});
