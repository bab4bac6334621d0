// What REST routes need: the services, built once by the composition root.
import type { AccountsService } from '../../services/accounts.service.js';
import type { ApprovalsService } from '../../services/approvals.service.js';
import type { RunsService } from '../../services/runs.service.js';
import type { WorkflowsService } from '../../services/workflows.service.js';

export interface Services {
  workflows: WorkflowsService;
  runs: RunsService;
  approvals: ApprovalsService;
  accounts: AccountsService;
}

type Body = Record<string, unknown>;

/** The JSON body as an object (Fastify has parsed it); anything else is a 400. */
export function body(value: unknown): Body {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw Object.assign(new Error('the request body must be a JSON object'), { statusCode: 400, code: 'FST_ERR_CTP_BODY_NOT_OBJECT' });
  return value as Body;
}
