// What REST routes need: the services, built once by the composition root.
import { ApiError } from '../../errors.js';
import type { AccountsService } from '../../services/accounts.service.js';
import type { CallbacksService } from '../../callbacks/callbacks.service.js';
import type { CredentialsService } from '../../credentials/credentials.service.js';
import type { TriggersService } from '../../triggers/triggers.service.js';
import type { ApprovalsService } from '../../services/approvals.service.js';
import type { InboxService } from '../../services/inbox.service.js';
import type { EmailDecisionsService } from '../../approval-mail/email-decisions.service.js';
import type { DelegationsService } from '../../services/delegations.service.js';
import type { AuditService } from '../../services/audit.service.js';
import type { RunsService } from '../../services/runs.service.js';
import type { ScenariosService } from '../../services/scenarios.service.js';
import type { WorkflowsService } from '../../services/workflows.service.js';
import type { BulkActionsService } from '../../services/bulk-actions.service.js';
import type { OperationsService } from '../../services/operations.service.js';
import type { EvalsService } from '../../ai/evals/evals.service.js';
import type { DescribeService } from '../../ai/describe/describe.service.js';
import type { OperationsFeed } from '../../telemetry/operations-feed.js';

export interface Services {
  workflows: WorkflowsService;
  runs: RunsService;
  approvals: ApprovalsService;
  accounts: AccountsService;
  /** A workflow's scenarios (absent where a server is assembled without them). */
  scenarios?: ScenariosService;
  /** AI eval sets and describing workflows (server/ai/); absent where a server is assembled without them. */
  evals?: EvalsService;
  describe?: DescribeService;
  /** Absent where a server is assembled without a credentials store (some tests). */
  credentials?: CredentialsService;
  /** POSTs to callback URLs (server/callbacks/); absent where a server is assembled without them. */
  callbacks?: CallbacksService;
  /** Webhooks and schedules (server/triggers/); absent where a server is assembled without them. */
  triggers?: TriggersService;
  /** Pause/resume, queues and concurrency limits (absent where a server is assembled without them). */
  operations?: OperationsService;
  /** "Away until, delegate to" (absent where a server is assembled without it). */
  delegations?: DelegationsService;
  /** The approvals' audit log (absent where a server is assembled without it). */
  audit?: AuditService;
  /** The inbox's tabs, pages, claims and bulk decisions (absent where a server is assembled without it). */
  inbox?: InboxService;
  /** The pages of approval e-mails' decision links (server/approval-mail/). */
  emailDecisions?: EmailDecisionsService;
  /** Bulk actions on the runs a filter matches. */
  bulk?: BulkActionsService;
  /** The Operations page's samples of metrics (server/telemetry/operations-feed.ts). */
  monitor?: OperationsFeed;
}

type Body = Record<string, unknown>;

/** The JSON body as an object (Fastify has parsed it); anything else is a 400. */
export function body(value: unknown): Body {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ApiError('BAD_REQUEST', `the request body must be a JSON object, not ${Array.isArray(value) ? 'an array' : typeof value === 'string' ? 'text' : `a ${typeof value}`}`);
  return value as Body;
}
