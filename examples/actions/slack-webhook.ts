// Posts a message to a Slack incoming webhook, or to anything that speaks its format (Mattermost,
// Rocket.Chat, Discord's /slack endpoint). The webhook's URL is a secret (whoever has it can post), so
// it is a stored credential the step chooses — a "fields" credential with a `url` field — never text
// in the graph. Goes out through ctx.fetch, so CAIRN_HTTP_ALLOW decides whether internal addresses may
// be reached, and sends the step's idempotency key so that a receiver that honours it posts once
// however often the step is retried.
import { defineAction, NonRetryableError, RetryableError, z } from 'cairn';

export default defineAction({
  name: 'slack.post',
  title: 'Post to Slack',
  description: 'Posts a message to a Slack-compatible incoming webhook.',
  credentials: {
    webhook: { kind: 'fields', description: 'The incoming webhook: a field "url", e.g. https://hooks.slack.com/services/T…/B…/…' },
  },
  input: z.object({
    text: z.string().min(1).max(40_000).meta({ title: 'Text', description: 'The message; Slack mrkdwn, e.g. "*{{ input.customer }}* paid {{ input.amount }} EUR"' }),
    username: z.string().max(80).optional().meta({ title: 'Post as', description: 'The name shown as the sender, where the webhook allows it' }),
    iconEmoji: z.string().regex(/^:[\w+-]+:$/, 'an emoji code like :rocket:').optional().meta({ title: 'Icon', description: 'An emoji code, e.g. :rocket:' }),
    blocks: z.array(z.record(z.string(), z.unknown())).max(50).optional().meta({ title: 'Blocks', description: 'Block Kit blocks, shown instead of the text (which stays the notification text)' }),
  }),
  output: z.object({
    status: z.number().meta({ title: 'Status', description: 'The webhook’s HTTP status' }),
    reply: z.string().meta({ title: 'Reply', description: 'What the webhook answered ("ok" on Slack)' }),
  }),
  async run(input, ctx) {
    const webhook = await ctx.credentials.get('webhook');
    const url = webhook.kind === 'fields' ? webhook.fields.url : undefined;
    if (!url || !/^https?:\/\//.test(url)) throw new NonRetryableError('the webhook credential needs a field "url" holding the webhook\'s http(s) address', { code: 'WEBHOOK_URL_MISSING' });
    const body = {
      text: input.text,
      ...(input.username ? { username: input.username } : {}),
      ...(input.iconEmoji ? { icon_emoji: input.iconEmoji } : {}),
      ...(input.blocks ? { blocks: input.blocks } : {}),
    };
    const response = await ctx.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey },
      body: JSON.stringify(body),
      signal: ctx.signal,
    });
    const reply = (await response.text()).slice(0, 1_000);
    // Slack answers 429 with Retry-After when posting too fast, and 5xx when it is unwell: try again.
    if (response.status === 429 || response.status >= 500) {
      const seconds = Number(response.headers.get('retry-after'));
      throw new RetryableError(`the webhook answered ${response.status}: ${reply}`, { code: `HTTP_${response.status}`, ...(seconds > 0 ? { retryAfterMs: seconds * 1000 } : {}) });
    }
    // 400 invalid_payload, 403 action_prohibited, 404 no_service…: the same message would fail again.
    if (!response.ok) throw new NonRetryableError(`the webhook refused the message (${response.status}): ${reply}`, { code: `HTTP_${response.status}` });
    ctx.logger.info('posted to the webhook', { status: response.status });
    return { status: response.status, reply };
  },
});
