// The API's services, made once per `cairn start` process by the composition root (main.ts): each
// service over its repository and the engine, in the order they depend on each other.
import type { Services } from '../api/rest/context.js';
import { createDescribeService } from '../ai/describe/describe.service.js';
import { createEvalsService } from '../ai/evals/evals.service.js';
import { createModelClient, type ModelConfig } from '../ai/model-client.js';
import { credentialsService } from '../credentials/credentials-setup.js';
import type { EngineDatabase } from '../db/engine-database.js';
import type { PrismaClient } from '../db/generated/sqlite/client.js';
import { createAccountsRepo } from '../db/repos/accounts.repo.js';
import { createBulkJobsRepo } from '../db/repos/bulk-jobs.repo.js';
import { createEvalsRepo } from '../db/repos/evals.repo.js';
import { createScenariosRepo } from '../db/repos/scenarios.repo.js';
import { createTriggersRepo } from '../db/repos/triggers.repo.js';
import { createWorkflowsRepo } from '../db/repos/workflows.repo.js';
import type { engineParts } from '../engine-parts.js';
import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import { createRunOperations } from '../engine/operations.js';
import type { Worker } from '../engine/runner/worker.js';
import type { Logger } from '../logger.js';
import type { Principal } from '../auth/principal.js';
import { createTriggersService } from '../triggers/triggers.service.js';
import { createAccountsService } from './accounts.service.js';
import { createApprovalsService } from './approvals.service.js';
import { createBulkActionsService } from './bulk-actions.service.js';
import { createBulkJobRunner, type BulkJobRunner } from './bulk-job-runner.js';
import { createDelegationsService } from './delegations.service.js';
import { createAuditService } from './audit.service.js';
import { createOperationsService } from './operations.service.js';
import { createRunsService } from './runs.service.js';
import { createScenariosService } from './scenarios.service.js';
import { createWorkflowsService } from './workflows.service.js';
import { createInboxService } from './inbox.service.js';
import { approvalMailer, emailDecisionsService, type ApprovalMailer } from '../approval-mail/approval-mail-setup.js';
import type { MailSettings } from '../actions/email.action.js';

export interface ServiceParts {
  /** The parts of the server's options the services read (main.ts's ServerOptions). */
  options: { clock: Clock; logger: Logger; ai?: ModelConfig; adminToken?: string; sessionTtlMs?: number; scheduleMinIntervalMs?: number; mail?: MailSettings; publicUrl?: string };
  parts: ReturnType<typeof engineParts>;
  database: EngineDatabase;
  prisma: PrismaClient;
  engine: Engine;
  /** Absent when this process serves the API only. */
  worker?: Worker;
}

export function assembleServices({ options, parts, database, prisma, engine, worker }: ServiceParts): { services: Services; bulkRunner: BulkJobRunner; mailer?: ApprovalMailer } {
  const { clock, logger } = options;
  const { actions, egress, secretKey } = parts;
  const { store } = database;
  const workflowsRepo = createWorkflowsRepo(prisma, database.dialect);
  const scenarios = createScenariosService({ repo: createScenariosRepo(prisma), actions, egress, clock });
  const models = createModelClient(options.ai ?? { models: {} });
  const evals = createEvalsService({ repo: createEvalsRepo(prisma), models, actions, clock });
  const delegations = createDelegationsService({ database, clock });
  const credentials = credentialsService(secretKey, prisma, clock);
  const services: Services = {
    workflows: createWorkflowsService({ repo: workflowsRepo, actions, clock, scenarios: scenarios.hooks, evals: evals.hooks, credentialNames: credentials.names }),
    scenarios,
    evals,
    runs: createRunsService({ engine, workflows: workflowsRepo, prisma }),
    approvals: createApprovalsService({ engine, approver: (principal) => delegations.approver(principal) }),
    delegations,
    audit: createAuditService({ database }),
    accounts: createAccountsService({ repo: createAccountsRepo(prisma), clock, adminToken: options.adminToken, sessionTtlMs: options.sessionTtlMs }),
    credentials,
    callbacks: parts.callbacks.service({ engine, database, clock }),
  };
  // An operator's controls (issue 18): pause/resume, queues, bulk jobs done in batches here.
  const operations = createRunOperations({ store, worker: worker ?? { poke() {} }, clock });
  const poke = () => worker?.poke();
  services.operations = createOperationsService({ engine, operations, store, workflows: workflowsRepo, prisma, clock, poke });
  const bulkRepo = createBulkJobsRepo(prisma);
  const bulkRunner = createBulkJobRunner({ repo: bulkRepo, service: { runFilter: (filter) => services.bulk!.runFilter(filter) }, engine, operations, clock, logger: logger.child({ component: 'bulk-jobs' }) });
  services.bulk = createBulkActionsService({ repo: bulkRepo, workflows: workflowsRepo, clock, kick: () => bulkRunner.kick() });
  const triggersRepo = createTriggersRepo(prisma, database.dialect);
  // A schedule's new next tick: this process's worker looks again; on PostgreSQL every worker hears it.
  const wakeForTick = (at: number) =>
    database.dialect === 'postgresql' ? void triggersRepo.notifyWorkers(at).catch((error: unknown) => logger.error('waking workers for a schedule failed', { error: String(error) })) : poke();
  services.triggers = createTriggersService({ repo: triggersRepo, key: secretKey, clock, runs: services.runs, wake: wakeForTick, minIntervalMs: options.scheduleMinIntervalMs });
  services.describe = createDescribeService({ models, config: options.ai ?? { models: {} }, actions, workflows: services.workflows, scenarios });
  // The inbox's pages and claims, and decisions by e-mail (issue 19): the links' pages always, the mailer with SMTP.
  const approver = (principal: Principal) => delegations.approver(principal);
  services.inbox = createInboxService({ database, engine, approvals: services.approvals, clock, approver });
  const mailParts = { secretKey, clock, accounts: createAccountsRepo(prisma), approver, engine, approvals: services.approvals };
  services.emailDecisions = emailDecisionsService(mailParts);
  const mailer = approvalMailer({ ...mailParts, mail: options.mail, publicUrl: options.publicUrl, database, logger });
  return { services, bulkRunner, mailer };
}
