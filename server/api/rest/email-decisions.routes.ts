// `/decisions/<token>`: the links in approval e-mails (server/approval-mail/). No session or API token:
// the signed link is the credential. GET shows the confirmation page and decides nothing (mail
// scanners open links); POST (the page's form) decides. Answers are HTML pages; a refusal's status
// comes from the one error table (errors.ts), and its page says why.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { confirmationPage, decidedPage, refusalPage } from '../../approval-mail/decision-pages.js';
import type { EmailDecisionsService } from '../../approval-mail/email-decisions.service.js';
import type { Logger } from '../../logger.js';
import { toHttpError } from '../errors.js';

/** A comment and nothing else: a form body larger than this is refused. */
const FORM_LIMIT = 64 * 1024;

export async function emailDecisionsRoutes(app: FastifyInstance, decisions: EmailDecisionsService, logger: Logger): Promise<void> {
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  const refuse = (reply: FastifyReply, error: unknown, url: string) => {
    const { status, body } = toHttpError(error);
    if (status >= 500) logger.error('decision link failed', { url: url.split('/decisions/')[0], error: String((error as Error).stack ?? error) });
    return html(reply, status, refusalPage(body.error.message, ''));
  };

  // Its own scope, so the form parser reaches only these routes.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, text, done) => {
      done(null, new URLSearchParams(text as string));
    });
    scope.setErrorHandler((error, request, reply) => refuse(reply, error, request.url));

    scope.get<{ Params: { token: string } }>('/decisions/:token', async (request, reply) => {
      try {
        return html(reply, 200, confirmationPage(await decisions.look(request.params.token), ''));
      } catch (error) {
        return refuse(reply, error, request.url);
      }
    });

    scope.post<{ Params: { token: string } }>('/decisions/:token', async (request, reply) => {
      const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
      try {
        const { link, task } = await decisions.confirm(request.params.token, form.get('comment') ?? undefined);
        return html(reply, 200, decidedPage(task, link.decision, ''));
      } catch (error) {
        return refuse(reply, error, request.url);
      }
    });
  });
}
