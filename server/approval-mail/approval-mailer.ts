// The approval mailer (when SMTP is configured): reads the audit log after its cursor (db/approval-
// mail-cursor.ts) and, for each task created, reminded or escalated that is still pending, e-mails
// every person the one rule lets decide it (decidingAs, without an admin's reach; never a forbidden
// self-approver) who has an e-mail address and has not decided yet — for a reminder or an escalation,
// only those it names — with their own signed links (decision-link.ts). Runs when told that tasks
// changed, and every half minute; one pass at a time in this process, one process at a time by lease.
import { randomUUID } from 'node:crypto';
import { ADDRESS, mailTransport, type MailSettings, type MailTransport } from '../actions/email.action.js';
import { describeTally, tallyOf } from '../../shared/runs/approval-policy.js';
import type { Principal } from '../auth/principal.js';
import { advanceMailCursor, entriesAfter, releaseMailLease, takeMailLease, type MailableEntry } from '../db/approval-mail-cursor.js';
import type { EngineDatabase } from '../db/engine-database.types.js';
import type { Clock } from '../engine/clock.js';
import { decidingAs, type Approver } from '../engine/engine.js';
import type { TaskRecord } from '../engine/store.js';
import type { Logger } from '../logger.js';
import { headerText, taskMail, type MailReason } from './approval-mail-content.js';
import { signDecisionLink } from './decision-link.js';

export interface MailUser {
  id: string;
  username: string;
  name: string;
  roles: string[];
  email: string | null;
  disabledAt: Date | null;
}

export interface ApprovalMailerDeps {
  database: Pick<EngineDatabase, 'dialect' | 'transact'>;
  mail: MailSettings & { from: string };
  key: Buffer;
  clock: Clock;
  logger: Logger;
  users(): Promise<MailUser[]>;
  approver(principal: Principal): Promise<Approver>;
  task(taskId: string): Promise<TaskRecord>;
  /** Where links point (CAIRN_PUBLIC_URL, else the address the server listens on). */
  baseUrl(): string;
  /** How long a link lasts (default 7 days; never past the task's due time). */
  linkTtlMs?: number;
  pollMs?: number;
}

const REASONS: Record<string, MailReason> = { created: 'created', reminded: 'reminded', escalated: 'escalated' };
const LEASE_MS = 60_000;
const BATCH = 200;

type Scope = TaskRecord['assignees'];

export function createApprovalMailer(deps: ApprovalMailerDeps) {
  const { database, clock, logger } = deps;
  const { dialect } = database;
  const owner = randomUUID();
  const linkTtlMs = deps.linkTtlMs ?? 7 * 24 * 3_600_000;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  /** Who gets this entry's e-mail, and as whom they would decide. */
  async function recipients(task: TaskRecord, scope: Scope) {
    const found: { user: MailUser; onBehalfOf: string | null }[] = [];
    for (const user of await deps.users()) {
      if (user.disabledAt || !user.email || /[\r\n]/.test(user.email) || !ADDRESS.test(user.email)) continue;
      const who = await deps.approver({ kind: 'user', name: user.username, userId: user.id, roles: user.roles });
      const acting = decidingAs({ ...task, assignees: scope }, { ...who, admin: false });
      if (!acting) continue;
      const person = acting.onBehalfOf ?? user.username;
      if (task.decisions.some((vote) => vote.by === user.username || (vote.onBehalfOf ?? vote.by) === person)) continue;
      found.push({ user, onBehalfOf: acting.onBehalfOf ?? null });
    }
    return found;
  }

  async function mailEntry(entry: MailableEntry, transport: MailTransport): Promise<void> {
    const task = await deps.task(entry.taskId!).catch(() => undefined);
    if (!task || task.status !== 'pending') return;
    const details = JSON.parse(entry.data) as { to?: Scope };
    const scope = entry.kind === 'created' ? task.assignees : (details.to ?? task.assignees);
    const now = clock.now();
    const expiresAt = task.dueAt && task.dueAt > now ? Math.min(task.dueAt, now + linkTtlMs) : now + linkTtlMs;
    const base = deps.baseUrl().replace(/\/+$/, '');
    const link = (user: string, decision: 'approve' | 'reject') => `${base}/decisions/${signDecisionLink(deps.key, { taskId: task.id, user, decision, expiresAt })}`;
    for (const { user, onBehalfOf } of await recipients(task, scope)) {
      const message = taskMail({
        task,
        reason: REASONS[entry.kind],
        progress: describeTally(task.policy, tallyOf(task.decisions)),
        links: { approve: link(user.username, 'approve'), reject: link(user.username, 'reject'), inbox: `${base}/inbox/${encodeURIComponent(task.id)}` },
        expiresAt,
        onBehalfOf,
      });
      try {
        await transport.sendMail({ from: deps.mail.from, to: { name: headerText(user.name, 100), address: user.email! }, subject: message.subject, text: message.text });
        logger.info('approval e-mail sent', { taskId: task.id, to: user.username, reason: entry.kind });
      } catch (error) {
        const { responseCode } = error as { responseCode?: number };
        // 5xx: the server refuses this address for good; anything else (down, slow) is tried again on the next pass.
        if (responseCode !== undefined && responseCode >= 500) logger.error('the SMTP server refused an approval e-mail', { taskId: task.id, to: user.username, error: String(error) });
        else throw error;
      }
    }
  }

  async function pass(): Promise<void> {
    let cursor = await database.transact(() => takeMailLease(dialect, { owner, now: clock.now(), leaseMs: LEASE_MS }));
    if (cursor === null) return;
    const transport = await mailTransport(deps.mail);
    try {
      for (;;) {
        const entries = await database.transact(() => entriesAfter(dialect, cursor!, BATCH));
        if (entries.length === 0 || stopped) return;
        for (const entry of entries) {
          if (REASONS[entry.kind] && entry.taskId) await mailEntry(entry, transport);
          cursor = entry.seq;
          if (REASONS[entry.kind] || entry === entries.at(-1)) {
            const held = await database.transact(() => advanceMailCursor(dialect, { owner, seq: cursor!, now: clock.now(), leaseMs: LEASE_MS }));
            if (!held) return;
          }
        }
      }
    } finally {
      transport.close();
      await database.transact(() => releaseMailLease(dialect, owner)).catch(() => undefined);
    }
  }

  function kick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await pass();
        } catch (error) {
          logger.error('approval e-mails: a pass failed; the next one tries again', { error: String(error) });
        }
      } while (again && !stopped);
    })().finally(() => (running = undefined));
    return running;
  }

  return {
    kick,
    /** The first pass (which places a new cursor at the log's end) and the half-minute poll. */
    async start(): Promise<void> {
      await kick();
      timer = setInterval(() => void kick(), deps.pollMs ?? 30_000);
      timer.unref();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

export type ApprovalMailer = ReturnType<typeof createApprovalMailer>;
