// The live connection (a WebSocket at /trpc) against the real server: a signed-in page's subscriptions
// receive run and inbox changes; a socket opened from another site's page is refused at the upgrade;
// without a valid session every subscription is refused UNAUTHORIZED, also once the session has
// ended on an open socket; queries, mutations, malformed and oversized messages and too many
// subscriptions are refused without harm to the socket's other subscriptions.
import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph } from '../../testing/graphs.js';
import { until } from '../../testing/harness.js';
import { startTestServer, type TestServer } from '../../testing/server-harness.js';
import { LIVE_SOCKET, originAllowed } from './live-socket.js';
import type { AppRouter } from './router.js';
import { MAX_SOCKET_SUBSCRIPTIONS } from './trpc.js';

let t: TestServer | undefined;
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await t?.close();
  t = undefined;
});

const PASSWORD = 'correct horse battery';
const gated = buildGraph(
  [['start', 'start'], ['go', 'event', { event: 'go' }], ['end', 'end', { output: '{{ nodes.go }}' }]],
  ['start.next -> go', 'go.received -> end'],
);

async function publishGated(server: TestServer): Promise<void> {
  expect((await server.call('PUT', '/api/v1/workflows/gated', { body: { name: 'Gated', graph: gated } })).status).toBeLessThan(300);
  expect((await server.call('POST', '/api/v1/workflows/gated/publish', { body: {} })).status).toBeLessThan(300);
}

/** A user with `roles`, signed in: their session cookie ("cairn_session=…") and CSRF token. */
async function signedIn(server: TestServer, username: string, roles: string[]): Promise<{ cookie: string; csrf: string }> {
  expect((await server.call('POST', '/api/v1/users', { body: { username, password: PASSWORD, roles } })).status).toBe(201);
  const login = await server.call('POST', '/api/v1/auth/login', { token: '', body: { username, password: PASSWORD } });
  expect(login.status).toBe(200);
  return { cookie: login.headers.get('set-cookie')!.split(';')[0], csrf: login.body.csrfToken };
}

const socketUrl = (server: TestServer) => `${server.server.url.replace(/^http/, 'ws')}${LIVE_SOCKET.path}`;

/** The `ws` package's WebSocket sending these headers on the upgrade, shaped as the browser's class. */
function socketClass(headers: Record<string, string>): typeof globalThis.WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  } as unknown as typeof globalThis.WebSocket;
}

/** A tRPC client whose calls all go over one live connection opened with `headers`. */
function socketClient(server: TestServer, headers: Record<string, string>) {
  const client = createWSClient({ url: socketUrl(server), WebSocket: socketClass(headers), retryDelayMs: () => 100 });
  closers.push(() => client.close());
  return createTRPCClient<AppRouter>({ links: [wsLink({ client })] });
}

/** The status of the upgrade: 101 when the socket opened, else the HTTP status it was refused with. */
function upgradeStatus(server: TestServer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(socketUrl(server), { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', reject);
  });
}

/** A raw socket: messages sent as they are, answers collected. */
async function rawSocket(server: TestServer, headers: Record<string, string>) {
  const socket = new WebSocket(socketUrl(server), { headers });
  closers.push(() => socket.terminate());
  const answers: any[] = [];
  let closedWith: number | undefined;
  socket.on('message', (data) => {
    const text = data.toString();
    if (text !== 'PING' && text !== 'PONG') answers.push(JSON.parse(text));
  });
  socket.on('close', (code) => (closedWith = code));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return {
    socket,
    answers,
    closedWith: () => closedWith,
    send: (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    answerTo: async (id: number | null, what: string) => {
      await until(() => answers.some((answer) => answer.id === id), { what });
      return answers.find((answer) => answer.id === id);
    },
  };
}

const codeOf = (error: unknown) => (error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : String(error));

describe('the live connection', () => {
  it('carries a signed-in page’s subscriptions: run changes and inbox changes arrive live', async () => {
    t = await startTestServer();
    await publishGated(t);
    const { cookie } = await signedIn(t, 'ada', ['editor']);
    const trpc = socketClient(t, { cookie, origin: t.server.url });
    const run = (await t.call('POST', '/api/v1/workflows/gated/instances', { body: { input: {} } })).body;

    const seen: string[] = [];
    let inbox = 0;
    const runs = trpc.runs.onChange.subscribe({ id: run.id }, { onData: (change) => void seen.push(change.status), onError: (error) => void seen.push(`error ${error.message}`) });
    const tasks = trpc.approvals.onChange.subscribe(undefined, { onData: () => void inbox++ });
    await until(() => seen.length > 0 && inbox > 0, { what: 'both subscriptions started' });
    expect(seen).toEqual(['waiting']);
    // Both subscriptions share the one socket.
    expect(t.server.app.websocketServer.clients.size).toBe(1);

    expect((await t.call('POST', `/api/v1/instances/${run.id}/signals/go`, { body: { data: 'now' } })).status).toBe(202);
    await until(() => seen.includes('completed'), { what: 'the completed status over the socket' });
    expect(seen.at(-1)).toBe('completed');
    runs.unsubscribe();
    tasks.unsubscribe();
  });

  it('refuses an upgrade from another site’s page (403), and from an opaque origin', async () => {
    t = await startTestServer({ publicUrl: 'https://cairn.example.com' });
    const { cookie } = await signedIn(t, 'ada', ['editor']);
    const port = new URL(t.server.url).port;
    expect(await upgradeStatus(t, { cookie, origin: t.server.url })).toBe(101);
    // The public URL's pages (behind a proxy that passes another Host) may connect.
    expect(await upgradeStatus(t, { cookie, origin: 'https://cairn.example.com' })).toBe(101);
    for (const origin of ['https://evil.example', `http://127.0.0.1:${Number(port) + 1}`, `https://127.0.0.1:${port}`, 'http://cairn.example.com', 'null', 'not a url']) {
      expect(await upgradeStatus(t, { cookie, origin }), origin).toBe(403);
    }
    expect(t.server.app.websocketServer.clients.size).toBe(0);
  });

  it('refuses every subscription UNAUTHORIZED without a session, with an unknown one, and once the session has ended', async () => {
    t = await startTestServer();
    const origin = t.server.url;
    for (const headers of [{ origin }, { origin, cookie: 'cairn_session=forged' }] as Record<string, string>[]) {
      const anonymous = socketClient(t, headers);
      const error = await new Promise((resolve) => anonymous.runs.onChange.subscribe({}, { onError: resolve, onStarted: () => resolve('started') }));
      expect(codeOf(error)).toBe('UNAUTHORIZED');
    }

    const session = await signedIn(t, 'ada', ['editor']);
    const trpc = socketClient(t, { origin, cookie: session.cookie });
    const started = await new Promise((resolve) => trpc.runs.onChange.subscribe({}, { onStarted: () => resolve('started'), onError: resolve }));
    expect(started).toBe('started');
    // Signed out elsewhere: the open socket starts nothing more in that session's name.
    expect((await t.call('POST', '/api/v1/auth/logout', { cookie: session.cookie, headers: { 'x-csrf-token': session.csrf }, body: {} })).status).toBeLessThan(300);
    const after = await new Promise((resolve) => trpc.approvals.onChange.subscribe(undefined, { onStarted: () => resolve('started'), onError: resolve }));
    expect(codeOf(after)).toBe('UNAUTHORIZED');

    // The same permissions as over HTTP: an approver may not watch runs.
    const approver = socketClient(t, { origin, cookie: (await signedIn(t, 'abe', ['approver'])).cookie });
    expect(codeOf(await new Promise((resolve) => approver.runs.onChange.subscribe({}, { onStarted: () => resolve('started'), onError: resolve })))).toBe('FORBIDDEN');
  });

  it('refuses queries, mutations, malformed messages and a subscription past the limit, and keeps serving the rest', async () => {
    t = await startTestServer();
    await publishGated(t);
    const { cookie } = await signedIn(t, 'ada', ['admin']);
    const raw = await rawSocket(t, { cookie, origin: t.server.url });

    raw.send({ id: 1, method: 'query', params: { path: 'workflows.list', input: {} } });
    expect((await raw.answerTo(1, 'the query refused')).error.data.code).toBe('METHOD_NOT_SUPPORTED');
    // Mutations would skip the CSRF header that HTTP demands: nothing is done.
    raw.send({ id: 2, method: 'mutation', params: { path: 'workflows.remove', input: { slug: 'gated' } } });
    expect((await raw.answerTo(2, 'the mutation refused')).error.data.code).toBe('METHOD_NOT_SUPPORTED');
    expect((await t.call('GET', '/api/v1/workflows/gated')).status).toBe(200);

    raw.send('{ not json');
    raw.send({ id: 3, method: 'subscription', params: { path: 'no.such.procedure', input: {} } });
    raw.send({ id: 4, method: 'subscription', params: { path: 'runs.onChange', input: { id: 'x'.repeat(101) } } });
    expect((await raw.answerTo(null, 'the parse error')).error.data.code).toBe('PARSE_ERROR');
    expect((await raw.answerTo(3, 'the unknown procedure')).error.data.code).toBe('NOT_FOUND');
    expect((await raw.answerTo(4, 'the bad input')).error.data.code).toBe('BAD_REQUEST');

    // One more than the limit, all at once (in one message): the limit start, the last is refused;
    // stopping one makes room.
    raw.send(Array.from({ length: MAX_SOCKET_SUBSCRIPTIONS + 1 }, (_, index) => ({ id: 10 + index, method: 'subscription', params: { path: 'approvals.onChange' } })));
    const past = 10 + MAX_SOCKET_SUBSCRIPTIONS;
    expect((await raw.answerTo(past, 'the subscription past the limit')).error.data.code).toBe('TOO_MANY_REQUESTS');
    await until(() => raw.answers.filter((answer) => answer.result?.type === 'started').length === MAX_SOCKET_SUBSCRIPTIONS, { what: 'the subscriptions up to the limit started' });
    expect(raw.answers.filter((answer) => answer.error?.data?.code === 'TOO_MANY_REQUESTS').map((answer) => answer.id)).toEqual([past]);
    raw.send({ id: 10, method: 'subscription.stop' });
    await until(() => raw.answers.some((answer) => answer.id === 10 && answer.result?.type === 'stopped'), { what: 'the stopped subscription' });
    raw.send({ id: 501, method: 'subscription', params: { path: 'runs.onChange', input: {} } });
    await until(() => raw.answers.some((answer) => answer.id === 501 && answer.result?.type === 'started'), { what: 'a subscription in the freed place' });

    // The socket is still live: a run's change reaches subscription 501.
    await t.call('POST', '/api/v1/workflows/gated/instances', { body: { input: {} } });
    await until(() => raw.answers.some((answer) => answer.id === 501 && answer.result?.data?.status === 'waiting'), { what: 'a run change after the refusals' });
    expect(raw.closedWith()).toBeUndefined();
  });

  it('closes a socket that sends a message over the size limit (1009)', async () => {
    t = await startTestServer();
    const { cookie } = await signedIn(t, 'ada', ['editor']);
    const raw = await rawSocket(t, { cookie, origin: t.server.url });
    raw.send({ id: 1, method: 'subscription', params: { path: 'runs.onChange', input: { id: 'x'.repeat(LIVE_SOCKET.maxMessageBytes) } } });
    await until(() => raw.closedWith() !== undefined, { what: 'the socket closed' });
    expect(raw.closedWith()).toBe(1009);
    await until(() => t!.server.app.websocketServer.clients.size === 0, { what: 'the server to let the socket go' });
  });
});

describe('originAllowed', () => {
  it.each([
    [undefined, true],
    ['http://127.0.0.1:3000', true],
    ['http://127.0.0.1:3000/', true],
    ['HTTP://127.0.0.1:3000', true],
    ['https://cairn.example.com', true],
    ['http://127.0.0.1:3001', false],
    ['http://127.0.0.1', false],
    ['https://127.0.0.1:3000', false],
    ['http://evil.example', false],
    ['null', false],
    ['', false],
    ['javascript:alert(1)', false],
  ])('%s → %s', (origin, allowed) => {
    expect(originAllowed(origin, 'http://127.0.0.1:3000', 'https://cairn.example.com')).toBe(allowed);
  });

  it('refuses everything but the own origin when no public URL is set, and when the own origin is unknown', () => {
    expect(originAllowed('https://cairn.example.com', 'http://127.0.0.1:3000', undefined)).toBe(false);
    expect(originAllowed('http://127.0.0.1:3000', undefined, undefined)).toBe(false);
  });
});
