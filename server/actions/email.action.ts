// The built-in email.send action (DESIGN §6): one e-mail over SMTP with nodemailer, to the server the
// operator configured (CAIRN_SMTP_URL, sender CAIRN_MAIL_FROM). The SMTP server is the operator's, not
// a workflow's, so the egress policy does not apply to it. Without SMTP the step succeeds and says
// "not sent: no SMTP configured" in the run's history, so examples run anywhere. Recipients and the
// subject may not contain line breaks (header injection); a hanging server fails the attempt at its
// time-outs or the step's, whichever comes first, and holds nothing else up. nodemailer is loaded
// with the first transport, so a process without SMTP never carries it.
import { z } from 'zod';
import { CREDENTIAL_MEDIA_TYPE } from '../../shared/credential-kinds.js';
import { NonRetryableError, RetryableError } from '../engine/errors.js';
import { defineAction, type ActionContext } from './define.js';

export interface MailSettings {
  /** CAIRN_SMTP_URL: smtp://user:pass@host:587 or smtps://host:465. */
  url: string;
  /** CAIRN_MAIL_FROM: the sender when a step names none. */
  from?: string;
  /** Connection, greeting and idle time-outs of one delivery (default 10 s, 10 s, 30 s). */
  timeoutsMs?: { connection?: number; greeting?: number; socket?: number };
}

export const NOT_SENT = 'not sent: no SMTP configured';

/** local@domain, nothing a header could be split or an address list widened with (as JSON Schema's "email" format is lenient). */
export const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/;
const oneLine = (what: string) => (value: string) => !/[\r\n]/.test(value) || `${what} must be one line: it contains a line break`;
const address = (what: string) =>
  z
    .string()
    .max(320)
    .superRefine((value, ctx) => {
      const problem = oneLine(what)(value);
      if (problem !== true) ctx.addIssue({ code: 'custom', message: problem });
      else if (!ADDRESS.test(value.trim())) ctx.addIssue({ code: 'custom', message: `${what} is not an e-mail address: ${JSON.stringify(value.slice(0, 80))}` });
    });
const addresses = (what: string) => z.union([address(what), z.array(address(what)).min(1).max(50)]);

const emailInput = z
  .object({
    to: addresses('to').meta({ title: 'To', description: 'An address, or a list of them' }),
    cc: addresses('cc').optional().meta({ title: 'Cc' }),
    from: address('from').optional().meta({ title: 'From', description: 'The sender; CAIRN_MAIL_FROM when empty' }),
    subject: z.string().min(1, 'subject is empty').max(998).superRefine((value, ctx) => {
      const problem = oneLine('subject')(value);
      if (problem !== true) ctx.addIssue({ code: 'custom', message: problem });
    }).meta({ title: 'Subject' }),
    text: z.string().max(1_000_000).optional().meta({ title: 'Text', description: 'The body as plain text' }),
    markdown: z.string().max(1_000_000).optional().meta({ title: 'Markdown', description: 'The body as Markdown (sent as its text), instead of Text' }),
    credential: z.string().min(1).max(200).optional().meta({ title: 'Credential', description: 'A stored Basic auth credential (username, password) to log in to the SMTP server with', contentMediaType: CREDENTIAL_MEDIA_TYPE }),
  })
  .refine((input) => input.text !== undefined || input.markdown !== undefined, { message: 'give the body as text or markdown', path: ['text'] });

const emailOutput = z.object({
  sent: z.boolean(),
  reason: z.string().optional(),
  messageId: z.string().optional(),
  accepted: z.array(z.string()).optional(),
  rejected: z.array(z.string()).optional(),
});

const list = (value: string | string[] | undefined) => (value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map((one) => one.trim()));

async function smtpAuth(credential: string | undefined, ctx: ActionContext) {
  if (!credential) return undefined;
  const value = await ctx.credentials.get(credential);
  if (value.kind !== 'basic') throw new NonRetryableError(`credential "${credential}" is ${value.kind}; email.send logs in with a Basic auth credential (username, password)`, { code: 'CREDENTIAL_KIND' });
  return { user: value.username, pass: value.password };
}

/** A transport to the operator's SMTP server with the time-outs of `mail` (also the approval e-mails' transport). */
export async function mailTransport(mail: MailSettings, auth?: { user: string; pass: string }) {
  const timeouts = mail.timeoutsMs ?? {};
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    url: mail.url,
    connectionTimeout: timeouts.connection ?? 10_000,
    greetingTimeout: timeouts.greeting ?? 10_000,
    socketTimeout: timeouts.socket ?? 30_000,
    auth,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
}

export type MailTransport = Awaited<ReturnType<typeof mailTransport>>;

/** email.send over `mail`; without it, every send is "not sent: no SMTP configured". */
export function emailSendAction(mail?: MailSettings) {
  return defineAction({
    name: 'email.send',
    title: 'Send an e-mail',
    description: 'Sends an e-mail over the SMTP server the operator configured (CAIRN_SMTP_URL). Without one, the step succeeds and history says it was not sent.',
    input: emailInput,
    output: emailOutput,
    async run(input, ctx) {
      const from = input.from ?? mail?.from;
      if (!mail) {
        ctx.log(`${NOT_SENT}: "${input.subject}" to ${list(input.to)!.join(', ')}`);
        return { sent: false, reason: NOT_SENT };
      }
      if (!from) throw new NonRetryableError('email.send needs a sender: give "from" or set CAIRN_MAIL_FROM', { code: 'EMAIL_NO_SENDER' });
      const transport = await mailTransport(mail, await smtpAuth(input.credential, ctx));
      // The step's time-out (or the worker stopping) closes the connection at once.
      const abort = () => transport.close();
      ctx.signal.addEventListener('abort', abort, { once: true });
      try {
        const info = await transport.sendMail({
          from,
          to: list(input.to),
          cc: list(input.cc),
          subject: input.subject,
          text: input.text ?? input.markdown,
          headers: { 'X-Cairn-Idempotency-Key': ctx.idempotencyKey },
        });
        const accepted = info.accepted.map(String);
        const rejected = info.rejected.map(String);
        ctx.log(`sent "${input.subject}" to ${accepted.join(', ')}${rejected.length ? `; refused for ${rejected.join(', ')}` : ''}`);
        return { sent: true, messageId: info.messageId, accepted, rejected };
      } catch (error) {
        if (ctx.signal.aborted) throw new RetryableError('the SMTP delivery was stopped: the step timed out', { code: 'EMAIL_TIMEOUT', cause: error });
        const { code, responseCode, message } = error as { code?: string; responseCode?: number; message: string };
        // 5xx: the server refused for good (a bad address, a bad login); anything else may pass later.
        if (responseCode !== undefined && responseCode >= 500) throw new NonRetryableError(`the SMTP server refused the e-mail: ${message}`, { code: 'EMAIL_REFUSED', cause: error });
        throw new RetryableError(`sending the e-mail failed: ${message}`, { code: code === 'ETIMEDOUT' ? 'EMAIL_TIMEOUT' : 'EMAIL_FAILED', cause: error });
      } finally {
        ctx.signal.removeEventListener('abort', abort);
        transport.close();
      }
    },
  });
}
