// Bad numbers and shapes in requests against the real server: each is a 400 (or, for a reused
// Idempotency-Key with another body, a 409) that names the problem, never a 500, and nothing is stored.
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph } from '../testing/graphs.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const waiter = buildGraph([['start', 'start'], ['go', 'event', { event: 'go' }], ['end', 'end', { output: '{{ nodes.go }}' }]], ['start.next -> go', 'go.received -> end']);

async function published(server: TestServer) {
  expect((await server.call('PUT', '/api/v1/workflows/waiter', { body: { graph: waiter } })).status).toBe(201);
  expect((await server.call('POST', '/api/v1/workflows/waiter/publish', { body: {} })).status).toBe(201);
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const badRequest = (message: string | RegExp) => ({ status: 400, body: { error: { code: 'BAD_REQUEST', message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message) } } });

/** What these requests could have stored. */
async function stored(server: TestServer) {
  const [instances, signals, rev] = await Promise.all([
    server.count('SELECT COUNT(*) AS n FROM instances'),
    server.count('SELECT COUNT(*) AS n FROM signals'),
    server.count("SELECT draft_rev AS n FROM workflows WHERE slug = 'waiter'"),
  ]);
  return { instances, signals, rev };
}

describe('bad numbers', () => {
  it('rev: 1e20 (and 2^40, -1, "1") on a draft save, and If-Match: 1e20, are 400s naming rev', async () => {
    t = await startTestServer();
    await published(t);
    for (const rev of [1e20, 2 ** 40, -1, '1', 1.5]) {
      expect(await t.call('PUT', '/api/v1/workflows/waiter', { body: { graph: waiter, rev } }), String(rev)).toMatchObject(badRequest('rev (the draft revision'));
    }
    expect(await t.call('PUT', '/api/v1/workflows/waiter', { headers: { 'if-match': '1e20' }, body: { graph: waiter } })).toMatchObject(badRequest('If-Match'));
    // tRPC, as the editor saves.
    const trpc = await fetch(`${t.server.url}/trpc/workflows.saveDraft`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'waiter', graph: waiter, rev: 2 ** 40 }),
    });
    expect(trpc.status).toBe(400);
    expect(await trpc.text()).toContain('rev');
    expect(await stored(t)).toEqual({ instances: 0, signals: 0, rev: 1 });
  });

  it('version=1e20 on GET /api/v1/instances, a version path of 1e20 and limit=1e20 are 400s naming the parameter', async () => {
    t = await startTestServer();
    await published(t);
    expect(await t.call('GET', '/api/v1/instances?version=1e20')).toMatchObject(badRequest('version must be a whole number'));
    expect(await t.call('GET', '/api/v1/instances?version=99999999999')).toMatchObject(badRequest('version must be a whole number'));
    expect(await t.call('GET', '/api/v1/instances?limit=1e20')).toMatchObject(badRequest('limit must be a whole number'));
    expect(await t.call('GET', '/api/v1/workflows/waiter/versions/1e20')).toMatchObject(badRequest('the version number must be a whole number'));
    expect(await t.call('POST', '/api/v1/workflows/waiter/versions/1e20/promote', { body: {} })).toMatchObject(badRequest('the version number'));
    const trpc = await fetch(`${t.server.url}/trpc/runs.list?input=${encodeURIComponent(JSON.stringify({ version: 2 ** 40 }))}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(trpc.status).toBe(400);
    expect((await t.call('GET', '/api/v1/instances?version=1')).status).toBe(200);
  });
});

describe('bad shapes', () => {
  it('a repeated query parameter is a 400 naming it', async () => {
    t = await startTestServer();
    expect(await t.call('GET', '/api/v1/instances?status=a&status=b')).toMatchObject(badRequest('query parameter "status" is given 2 times'));
    expect(await t.call('GET', '/api/v1/approvals?status=pending&status=decided')).toMatchObject(badRequest('"status"'));
    expect(await t.call('GET', '/api/v1/instances?limit=1&limit=2&limit=3')).toMatchObject(badRequest('"limit" is given 3 times'));
  });

  it('JSON nested 10,000 deep is a 400 (REST bodies, tRPC bodies and inputs); 60 deep is fine; nothing stored', async () => {
    t = await startTestServer();
    await published(t);
    const deep = nested(10_000);
    expect(await t.call('POST', '/api/v1/workflows/waiter/instances', { raw: `{"input":${deep}}` })).toMatchObject(badRequest('more than 64 levels deep'));
    expect(await t.call('PUT', '/api/v1/workflows/waiter', { raw: `{"graph":${deep}}` })).toMatchObject(badRequest('more than 64 levels deep'));
    expect(await t.call('POST', '/api/v1/instances/nope/signals/go', { raw: `{"data":${deep}}` })).toMatchObject(badRequest('more than 64 levels deep'));
    // Brackets inside strings are text, not depth.
    const { body: run, status } = await t.call('POST', '/api/v1/workflows/waiter/instances', { raw: `{"input":{"note":${JSON.stringify(deep)},"list":${nested(60)}}}` });
    expect(status).toBe(201);

    const trpc = (pathAndQuery: string, body?: string) =>
      fetch(`${t!.server.url}/trpc/${pathAndQuery}`, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body });
    const start = await trpc('runs.start', `{"workflow":"waiter","input":${deep}}`);
    expect(start.status).toBe(400);
    expect(await start.text()).toContain('more than 64 levels deep');
    const query = await trpc(`runs.get?input=${encodeURIComponent(`{"id":${nested(1_000)}}`)}`);
    expect(query.status).toBe(400);
    expect(await t.call('POST', `/api/v1/instances/${run.id}/signals/go`, { raw: `{"data":${nested(65)}}` })).toMatchObject({ status: 400 });
    expect(await stored(t)).toEqual({ instances: 1, signals: 0, rev: 1 });
  });

  it('a body that is not a JSON object is a 400 saying what it is', async () => {
    t = await startTestServer();
    await published(t);
    for (const [raw, what] of [['[1,2]', 'an array'], ['"text"', 'text'], ['42', 'a number'], ['true', 'a boolean']]) {
      expect(await t.call('POST', '/api/v1/workflows/waiter/instances', { raw }), raw).toMatchObject(badRequest(`the request body must be a JSON object, not ${what}`));
      expect(await t.call('PUT', '/api/v1/workflows/waiter', { raw })).toMatchObject({ status: 400 });
      expect(await t.call('POST', '/api/v1/auth/login', { token: '', raw })).toMatchObject({ status: 400 });
    }
    expect(await stored(t)).toEqual({ instances: 0, signals: 0, rev: 1 });
  });
});

describe('Idempotency-Key', () => {
  it('the same key with another body is a 409 naming the key; the same body (keys in any order) is the same run', async () => {
    t = await startTestServer();
    await published(t);
    const start = (input: unknown, key = 'order-1042') => t!.call('POST', '/api/v1/workflows/waiter/instances', { headers: { 'idempotency-key': key }, body: { input } });
    const first = await start({ amount: 42, items: [{ sku: 'a', qty: 1 }] });
    expect(first.status).toBe(201);
    expect(await start({ items: [{ qty: 1, sku: 'a' }], amount: 42 })).toMatchObject({ status: 200, body: { id: first.body.id } });

    const conflict = await start({ amount: 43, items: [{ sku: 'a', qty: 1 }] });
    expect(conflict).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT', details: { idempotencyKey: 'order-1042', runId: first.body.id } } } });
    expect(conflict.body.error.message).toContain('Idempotency-Key "order-1042"');
    expect(await start(undefined)).toMatchObject({ status: 409 });
    // The web app's start form sends its key through tRPC: the same rule.
    const trpc = await fetch(`${t.server.url}/trpc/runs.start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workflow: 'waiter', input: { amount: 1 }, idempotencyKey: 'order-1042' }),
    });
    expect(trpc.status).toBe(409);
    expect(await trpc.text()).toContain('order-1042');

    expect(await stored(t)).toEqual({ instances: 1, signals: 0, rev: 1 });
    expect((await t.call('GET', `/api/v1/instances/${first.body.id}`)).body.input).toEqual({ amount: 42, items: [{ sku: 'a', qty: 1 }] });
  });
});
