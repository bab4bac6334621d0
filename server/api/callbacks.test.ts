// Callback URLs end to end (issue 16): a step hands `callbacks.<eventNodeId>.url` to a third party (a
// real HTTP server on 127.0.0.1), which POSTs to it with no API token; the run continues with the
// body as the event's data. A second POST, an expired or forged URL, a token for another run or node
// and an oversized body are refused, and other runs are unaffected.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
// The credentials key the callback key is derived from (PostgreSQL has no key file to fall back on).
const secretKey = randomBytes(32).toString('base64');
let provider: Provider | undefined;
afterEach(async () => {
  await provider?.close();
  await t?.close();
  t = provider = undefined;
});

interface Provider {
  url: string;
  /** The callback URLs it was handed, in order. */
  handed: string[];
  /** Its own POSTs to those URLs: what Cairn answered. */
  answers: Promise<{ status: number; body: any }>[];
  close(): Promise<void>;
}

/** A payment provider: takes `{ callbackUrl }`, answers 200, then POSTs `{ status: "paid" }` to the URL (when `postBack`). */
async function startProvider(postBack: boolean): Promise<Provider> {
  const handed: string[] = [];
  const answers: Provider['answers'] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const { callbackUrl } = JSON.parse(text) as { callbackUrl: string };
      handed.push(callbackUrl);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"pending":true}');
      if (postBack) answers.push(post(callbackUrl, { status: 'paid', amount: 42 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pay`,
    handed,
    answers,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function post(url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const checkout = (providerUrl: string, timeout?: string) =>
  buildGraph(
    [
      ['start', 'start'],
      ['handoff', 'step', { action: 'http.request', input: { method: 'POST', url: providerUrl, body: { callbackUrl: '{{ callbacks.paid.url }}' } } }],
      ['paid', 'event', { event: 'payment', ...(timeout ? { timeout } : {}) }],
      ['done', 'end', { output: '{{ nodes.paid }}' }],
      ['gaveUp', 'end', { output: '{{ { "timedOut": true } }}' }],
    ],
    ['start.next -> handoff', 'handoff.ok -> paid', 'paid.received -> done', 'paid.timeout -> gaveUp'],
  );

async function publish(server: TestServer, slug: string, graph: unknown) {
  expect((await server.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph } })).status).toBe(201);
  const published = await server.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
}

async function start(server: TestServer, slug: string): Promise<string> {
  const { body } = await server.call('POST', `/api/v1/workflows/${slug}/instances`, { body: { input: {} } });
  await server.worker.drain();
  return body.id as string;
}

const run = async (server: TestServer, id: string) => (await server.call('GET', `/api/v1/instances/${id}`)).body;

describe('callback URLs', () => {
  it('a third party POSTs to the URL a step handed it: the run continues with the body; a second POST is refused', async () => {
    provider = await startProvider(true);
    t = await startTestServer({ clock: new FakeClock(), httpAllow: ['127.0.0.1'], secretKey });
    await publish(t, 'checkout', checkout(provider.url, '1h'));
    const id = await start(t, 'checkout');
    expect(provider.handed).toHaveLength(1);
    const [url] = provider.handed;
    expect(url).toMatch(new RegExp(`^${t.server.url}/callbacks/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`));
    expect(await provider.answers[0]).toEqual({ status: 202, body: { accepted: true, signalId: expect.any(String) } });
    await t.worker.drain();
    expect(await run(t, id)).toMatchObject({ status: 'completed', output: { status: 'paid', amount: 42 } });
    const history = (await t.call('GET', `/api/v1/instances/${id}/history`)).body as { type: string; nodeId?: string; data: any }[];
    const taken = history.find((event) => event.nodeId === 'paid' && (event.type === 'signalReceived' || event.type === 'signalConsumed'));
    expect(taken?.data).toMatchObject({ name: 'payment', callback: true });

    const again = await post(url, { status: 'paid', amount: 43 });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/has already completed/);
    expect((await run(t, id)).output).toEqual({ status: 'paid', amount: 42 });
  });

  it('a second POST while the run still waits is refused as used; the wait takes the first one only', async () => {
    provider = await startProvider(false);
    t = await startTestServer({ clock: new FakeClock(), httpAllow: ['127.0.0.1'], secretKey });
    // A wait before the event node: both POSTs arrive early and the first is buffered for it.
    const graph = checkout(provider.url);
    graph.nodes.push({ id: 'settle', kind: 'wait', config: { duration: '1h' }, position: { x: 1200, y: 0 } });
    graph.edges = graph.edges.map((edge) => (edge.source === 'handoff' ? { ...edge, target: 'settle' } : edge));
    graph.edges.push({ id: 'e9', source: 'settle', sourcePort: 'next', target: 'paid' });
    await publish(t, 'early', graph);
    const id = await start(t, 'early');
    const [url] = provider.handed;
    expect(await post(url, { first: true })).toMatchObject({ status: 202 });
    const second = await post(url, { second: true });
    expect(second).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
    expect(second.body.error.message).toMatch(/already used/);
    await t.worker.drain();
    expect(await run(t, id)).toMatchObject({ status: 'waiting' });
    t.clock.advance('1h');
    await t.worker.drain();
    expect(await run(t, id)).toMatchObject({ status: 'completed', output: { first: true } });
  });

  it('an expired URL is refused: the wait timed out, or the URL is past its year', async () => {
    provider = await startProvider(false);
    t = await startTestServer({ clock: new FakeClock(), httpAllow: ['127.0.0.1'], secretKey });
    await publish(t, 'timed', checkout(provider.url, '1h'));
    await publish(t, 'forever', checkout(provider.url));
    const timed = await start(t, 'timed');
    const forever = await start(t, 'forever');
    const [timedUrl, foreverUrl] = provider.handed;
    t.clock.advance('1h');
    await t.worker.drain();
    expect(await run(t, timed)).toMatchObject({ status: 'completed', output: { timedOut: true } });
    // The timed run has ended; the other still waits, and its URL still works until it is a year old.
    expect(await post(timedUrl, { late: true })).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
    t.clock.advance('365d');
    const expired = await post(foreverUrl, { late: true });
    expect(expired).toMatchObject({ status: 409 });
    expect(expired.body.error.message).toMatch(/expired at/);
    await t.worker.drain();
    expect(await run(t, forever)).toMatchObject({ status: 'waiting' });
  });

  it('refuses forged and tampered tokens, a token for another run or node, bad bodies; other runs unaffected', async () => {
    provider = await startProvider(false);
    t = await startTestServer({ clock: new FakeClock(), httpAllow: ['127.0.0.1'], secretKey });
    await publish(t, 'checkout', checkout(provider.url));
    const first = await start(t, 'checkout');
    const second = await start(t, 'checkout');
    const [url, otherUrl] = provider.handed;
    const base = `${t.server.url}/callbacks/`;
    const token = url.slice(base.length);
    const [payload, signature] = token.split('.');
    const fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [string, string, number, number];
    const reencode = (changed: unknown[]) => `${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);

    const refusals: [string, string][] = [
      ['tampered signature', `${payload}.${flipped}`],
      ['another run', reencode([second, fields[1], fields[2], fields[3]])],
      ['another node', reencode([fields[0], 'handoff', fields[2], fields[3]])],
      ['another visit', reencode([fields[0], fields[1], 2, fields[3]])],
      ['a later expiry', reencode([fields[0], fields[1], fields[2], fields[3] + 1])],
      ['signed with another key', `${payload}.${Buffer.alloc(32, 7).toString('base64url')}`],
      ['no signature', payload],
      ['garbage', 'not-a-token'],
      ['huge', 'A'.repeat(4_000) + '.' + signature],
    ];
    for (const [what, forged] of refusals) {
      const answer = await post(base + forged, { status: 'paid' });
      expect(answer.status, what).toBe(403);
      expect(answer.body.error.code, what).toBe('FORBIDDEN');
    }
    expect(await post(url, 'x'.repeat(300_000))).toMatchObject({ status: 413 });
    expect(await post(url, { data: 'x'.repeat(300_000) })).toMatchObject({ status: 413 });
    expect((await post(url, 'status=paid', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBeGreaterThanOrEqual(400);
    expect((await post(url, '{"status": "pa', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await post(`${base}`, {})).status).toBe(403);
    await t.worker.drain();
    expect(await t.count('SELECT COUNT(*) AS n FROM signals')).toBe(0);
    expect(await run(t, first)).toMatchObject({ status: 'waiting' });

    // The real URLs still work, each for its own run only.
    // Text is taken as it is.
    expect(await post(otherUrl, 'paid by card', { 'content-type': 'text/plain' })).toMatchObject({ status: 202 });
    expect(await post(url, { run: 'first' })).toMatchObject({ status: 202 });
    await t.worker.drain();
    expect(await run(t, first)).toMatchObject({ status: 'completed', output: { run: 'first' } });
    expect(await run(t, second)).toMatchObject({ status: 'completed', output: 'paid by card' });
  });

  it('publish refuses callbacks.<id> of a node that is not an event node, naming it', async () => {
    t = await startTestServer({ clock: new FakeClock() });
    const graph = checkout('https://pay.example/pay');
    (graph.nodes[1].config as { input: { body: unknown } }).input.body = { callbackUrl: '{{ callbacks.handoff.url }}', other: '{{ callbacks.nope.url }}' };
    await t.call('PUT', '/api/v1/workflows/bad', { body: { name: 'bad', graph } });
    const refused = await t.call('POST', '/api/v1/workflows/bad/publish', { body: {} });
    expect(refused.status).toBe(422);
    const text = JSON.stringify(refused.body);
    expect(text).toContain('node \\"handoff\\" is not an event node');
    expect(text).toContain('there is no node \\"nope\\"');
  });
});
