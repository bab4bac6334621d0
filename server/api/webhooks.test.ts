// Webhook triggers on a real server on 127.0.0.1 (both databases): POST /hooks/<slug>/<id> with the
// secret as a bearer token or an HMAC signature (Cairn-Signature) starts a run on the active version
// with the body as its input (202 with the run id). Refused: a bad or stale signature, a missing or
// garbled header, a rotated secret (401); an input the start's schema refuses (422 naming the field);
// an unknown hook (404), a 10 MB body (413), a flood (429) — with nothing started and other runs
// unaffected. The same Idempotency-Key is the same run. Managed over tRPC (secret shown once).
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../testing/graphs.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/server-harness.js';
import { testDialect } from '../testing/test-database.js';
import { signatureHeader, SIGNATURE_TOLERANCE_MS } from '../triggers/webhook-auth.js';
import type { AppRouter } from './trpc/router.js';

const KEY = Buffer.alloc(32, 9).toString('base64');
const RATE = 30;
let t: TestServer;
let trpc: ReturnType<typeof clientFor>;
let hookPath: string;
let secret: string;

function clientFor(server: TestServer, token = ADMIN_TOKEN) {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })] });
}

const orders = buildGraph(
  [
    ['start', 'start', { inputSchema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' }, customer: { type: 'string' } } } }],
    ['end', 'end', { output: '{{ input }}' }],
  ],
  ['start.next -> end'],
);

async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

const runCount = () => t.count('SELECT COUNT(*) AS n FROM instances');

beforeAll(async () => {
  t = await startTestServer({ secretKey: KEY, webhookRateLimit: RATE });
  trpc = clientFor(t);
  await trpc.workflows.saveDraft.mutate({ slug: 'orders', graph: orders });
  await trpc.workflows.publish.mutate({ slug: 'orders' });
  const created = await trpc.triggers.createWebhook.mutate({ workflow: 'orders' });
  secret = created.secret;
  hookPath = created.trigger.path!;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe(`webhook triggers (${testDialect()})`, () => {
  it('shows the secret once: the list names the URL path, never the secret', async () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(hookPath).toMatch(/^\/hooks\/orders\/[A-Za-z0-9_-]{16}$/);
    const listed = await trpc.triggers.list.query({ workflow: 'orders' });
    expect(listed).toEqual([expect.objectContaining({ kind: 'webhook', enabled: true, path: hookPath })]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(JSON.stringify(await trpc.triggers.overview.query())).not.toContain(secret);
    const stored = await t.server.prisma.trigger.findMany();
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('a bearer secret starts a run with the body as its input (202 with the run id)', async () => {
    const answer = await post(hookPath, JSON.stringify({ amount: 12, customer: 'acme' }), { authorization: `Bearer ${secret}` });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ id: expect.any(String), version: 1, status: expect.any(String) });
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${answer.body.id}`)).body).toMatchObject({ workflow: 'orders', status: 'completed', input: { amount: 12, customer: 'acme' }, output: { amount: 12, customer: 'acme' } });
  });

  it('an HMAC signature of the body starts a run; a bad, stale, garbled or missing one is 401', async () => {
    const body = JSON.stringify({ amount: 7 });
    const signed = await post(hookPath, body, { 'cairn-signature': signatureHeader(secret, t.clock.now(), body) });
    expect(signed.status).toBe(202);
    const before = await runCount();
    const refusals: [string, Record<string, string>, RegExp][] = [
      ['another body', { 'cairn-signature': signatureHeader(secret, t.clock.now(), JSON.stringify({ amount: 8 })) }, /does not match/],
      ['another secret', { 'cairn-signature': signatureHeader('whsec_not-the-secret', t.clock.now(), body) }, /does not match/],
      ['stale', { 'cairn-signature': signatureHeader(secret, t.clock.now() - SIGNATURE_TOLERANCE_MS - 1_000, body) }, /timestamp is 301 s from the server's clock/],
      ['from the future', { 'cairn-signature': signatureHeader(secret, t.clock.now() + SIGNATURE_TOLERANCE_MS + 60_000, body) }, /timestamp is 360 s/],
      ['garbled', { 'cairn-signature': 'v1=zzzz;t=yesterday' }, /must be t=<unix seconds>,v1=<64 hex digits>/],
      ['empty', { 'cairn-signature': '' }, /must be t=/],
      ['missing', {}, /send the webhook's secret as Authorization: Bearer <secret>, or sign the body/],
      ['wrong bearer', { authorization: 'Bearer whsec_guess' }, /not this webhook's secret/],
      ['not bearer', { authorization: `Basic ${secret}` }, /must be "Bearer/],
      ['an API token', { authorization: `Bearer ${ADMIN_TOKEN}` }, /not this webhook's secret/],
    ];
    for (const [what, headers, message] of refusals) {
      const answer = await post(hookPath, body, headers);
      expect(answer.status, what).toBe(401);
      expect(answer.body.error, what).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(message) });
    }
    expect(await runCount()).toBe(before);
  });

  it('an input the start refuses is 422 naming the field; a body that is no JSON object is 400', async () => {
    const before = await runCount();
    const wrongType = await post(hookPath, JSON.stringify({ amount: 'twelve' }), { authorization: `Bearer ${secret}` });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('amount') });
    const missing = await post(hookPath, JSON.stringify({ customer: 'acme' }), { authorization: `Bearer ${secret}` });
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toContain('amount');
    for (const [body, message] of [['[1,2]', /must be a JSON object, not an array/], ['{"amount":', /not valid JSON/], ['"text"', /not a string/], [`${'['.repeat(100)}${']'.repeat(100)}`, /more than 64 levels deep/]] as const) {
      const answer = await post(hookPath, body, { authorization: `Bearer ${secret}` });
      expect(answer.status, body).toBe(400);
      expect(answer.body.error.message).toMatch(message);
    }
    expect(await runCount()).toBe(before);
  });

  it('the same Idempotency-Key is the same run; with another input it is a conflict', async () => {
    const body = JSON.stringify({ amount: 99 });
    const first = await post(hookPath, body, { authorization: `Bearer ${secret}`, 'idempotency-key': 'order-99' });
    const again = await post(hookPath, body, { 'cairn-signature': signatureHeader(secret, t.clock.now(), body), 'idempotency-key': 'order-99' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    const other = await post(hookPath, JSON.stringify({ amount: 100 }), { authorization: `Bearer ${secret}`, 'idempotency-key': 'order-99' });
    expect(other.status).toBe(409);
    // The key is the webhook's own: a REST start with the same key is another run.
    const rest = await t.call('POST', '/api/v1/workflows/orders/instances', { body: { input: { amount: 99 } }, headers: { 'idempotency-key': 'order-99' } });
    expect(rest.status).toBe(201);
    expect(rest.body.id).not.toBe(first.body.id);
  });

  it('an unknown hook, workflow or path is a JSON 404; a 10 MB body is 413; nothing starts', async () => {
    const before = await runCount();
    const [, , , hookId] = hookPath.split('/');
    for (const path of ['/hooks/orders/unknown-hook-id', `/hooks/other/${hookId}`, '/hooks/orders', '/hooks', '/hook/orders/x', `/api/hooks/orders/${hookId}`]) {
      const answer = await post(path, '{}', { authorization: `Bearer ${secret}` });
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.code, path).toBe('NOT_FOUND');
    }
    const huge = await post(hookPath, JSON.stringify({ amount: 1, pad: 'x'.repeat(10 * 1024 * 1024) }), { authorization: `Bearer ${secret}` });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await runCount()).toBe(before);
    // The server still serves.
    expect((await post(hookPath, '{"amount":1}', { authorization: `Bearer ${secret}` })).status).toBe(202);
  });

  it('rotating the secret stops the old one at once; a turned-off webhook starts nothing', async () => {
    const [trigger] = await trpc.triggers.list.query({ workflow: 'orders' });
    const rotated = await trpc.triggers.rotateSecret.mutate({ workflow: 'orders', id: trigger.id });
    expect(rotated.secret).not.toBe(secret);
    expect((await post(hookPath, '{"amount":1}', { authorization: `Bearer ${secret}` })).status).toBe(401);
    expect((await post(hookPath, '{"amount":1}', { authorization: `Bearer ${rotated.secret}` })).status).toBe(202);
    secret = rotated.secret;
    await trpc.triggers.setEnabled.mutate({ workflow: 'orders', id: trigger.id, enabled: false });
    const off = await post(hookPath, '{"amount":1}', { authorization: `Bearer ${secret}` });
    expect(off.status).toBe(409);
    expect(off.body.error.message).toContain('turned off');
    await trpc.triggers.setEnabled.mutate({ workflow: 'orders', id: trigger.id, enabled: true });
    // Managing triggers needs workflows:write; an approver's token is refused.
    const { token } = (await t.call('POST', '/api/v1/tokens', { body: { role: 'approver' } })).body;
    const refused = await clientFor(t, token).triggers.rotateSecret.mutate({ workflow: 'orders', id: trigger.id }).catch((error: unknown) => error);
    expect((refused as TRPCClientError<AppRouter>).data?.code).toBe('FORBIDDEN');
    const unknown = await trpc.triggers.rotateSecret.mutate({ workflow: 'orders', id: 'nope' }).catch((error: unknown) => error);
    expect((unknown as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
  });

  it(`a flood gets 429 past ${RATE} requests a minute for that webhook; other runs go on`, async () => {
    await trpc.workflows.saveDraft.mutate({ slug: 'quiet', graph: orders });
    await trpc.workflows.publish.mutate({ slug: 'quiet' });
    const quiet = await trpc.triggers.createWebhook.mutate({ workflow: 'quiet' });
    const answers = await Promise.all(Array.from({ length: RATE + 20 }, () => post(hookPath, '{"amount":1}', { authorization: `Bearer ${secret}` })));
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(20);
    expect(limited[0].body.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringContaining(`at most ${RATE} requests a minute`) });
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThan(0);
    // Another webhook, and REST, are not limited by it.
    expect((await post(quiet.trigger.path!, '{"amount":2}', { authorization: `Bearer ${quiet.secret}` })).status).toBe(202);
    expect((await t.call('POST', '/api/v1/workflows/orders/instances', { body: { input: { amount: 3 } } })).status).toBe(201);
    await t.worker.drain();
    expect(await t.count(`SELECT COUNT(*) AS n FROM instances WHERE status <> 'completed'`)).toBe(0);
  });
});
