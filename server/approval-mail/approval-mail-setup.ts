// Decisions by e-mail, made once per `cairn start` process: the service behind the links' pages
// (always, so a link from another process or before a restart still opens), and — only when SMTP
// and a sender are configured and the process has a credentials key — the mailer, started and told
// whenever tasks change (the live bus every inbox hears).
import type { MailSettings } from '../actions/email.action.js';
import type { Principal } from '../auth/principal.js';
import type { SecretKey } from '../credentials/secret-key.js';
import type { EngineDatabase } from '../db/engine-database.types.js';
import type { AccountsRepo } from '../db/repos/accounts.repo.js';
import type { Clock } from '../engine/clock.js';
import type { Approver, Engine } from '../engine/engine.js';
import type { Logger } from '../logger.js';
import type { ApprovalsService } from '../services/approvals.service.js';
import { createApprovalMailer } from './approval-mailer.js';
import { decisionLinkKey } from './decision-link.js';
import { createEmailDecisionsService } from './email-decisions.service.js';

export interface ApprovalMailParts {
  secretKey: SecretKey;
  clock: Clock;
  accounts: Pick<AccountsRepo, 'findUserByUsername' | 'listUsers'>;
  approver(principal: Principal): Promise<Approver>;
  engine: Pick<Engine, 'task'>;
  approvals: Pick<ApprovalsService, 'decide'>;
}

export function emailDecisionsService(parts: ApprovalMailParts) {
  return createEmailDecisionsService({
    key: decisionLinkKey(parts.secretKey),
    clock: parts.clock,
    findUser: (username) => parts.accounts.findUserByUsername(username),
    approver: parts.approver,
    task: (taskId) => parts.engine.task(taskId),
    decide: (principal, taskId, body) => parts.approvals.decide(principal, taskId, body),
  });
}

/** The mailer, or undefined (with the reason logged) when this process cannot send approval e-mails. */
export function approvalMailer(parts: ApprovalMailParts & {
  mail?: MailSettings;
  publicUrl?: string;
  database: Pick<EngineDatabase, 'dialect' | 'transact'>;
  logger: Logger;
}) {
  const { mail, logger } = parts;
  if (!mail) return undefined;
  const key = decisionLinkKey(parts.secretKey);
  if (!mail.from || !key) {
    logger.warn(`approval e-mails are off: ${!mail.from ? 'set CAIRN_MAIL_FROM, the sender they come from' : 'this process has no credentials key to sign their links (set CAIRN_SECRET_KEY)'}`);
    return undefined;
  }
  let listening: string | undefined;
  const mailer = createApprovalMailer({
    database: parts.database,
    mail: { ...mail, from: mail.from },
    key,
    clock: parts.clock,
    logger: logger.child({ component: 'approval-mail' }),
    users: () => parts.accounts.listUsers(),
    approver: parts.approver,
    task: (taskId) => parts.engine.task(taskId),
    baseUrl: () => parts.publicUrl ?? listening ?? 'http://127.0.0.1:3000',
  });
  const hearing = new AbortController();
  return {
    kick: mailer.kick,
    /** Starts once the server listens (links point at its address when CAIRN_PUBLIC_URL is unset). */
    async start(url: string, tasksChanged: (signal: AbortSignal) => AsyncIterator<unknown>): Promise<void> {
      listening = url;
      await mailer.start();
      const changes = tasksChanged(hearing.signal);
      void (async () => {
        try {
          while (!(await changes.next()).done) void mailer.kick();
        } catch {
          // aborted: the server is closing
        }
      })();
    },
    async stop(): Promise<void> {
      hearing.abort();
      await mailer.stop();
    },
  };
}

export type ApprovalMailer = NonNullable<ReturnType<typeof approvalMailer>>;
