// The page's live connection against a real server (Node, with the `ws` package's WebSocket): all
// subscriptions share one socket; pausing closes it on the server and keeps the subscriptions, which
// start again (and so refetch) on resume; a new session reopens the socket; after the server restarts
// the subscriptions resume by themselves.
import { createTRPCClient, splitLink, httpBatchLink } from '@trpc/client';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../server/testing/test-database.js';
import { FakeClock } from '../../server/engine/clock.js';
import { buildGraph } from '../../server/testing/graphs.js';
import { until } from '../../server/testing/harness.js';
import { silentLogger } from '../../server/logger.js';
import { createServer, type CairnServer } from '../../server/main.js';
import type { AppRouter } from '../../server/api/trpc/router.js';
import { createLiveConnection, reconnectDelay } from './live-connection.js';

const ADMIN = 'live-connection-admin-token-0123';
const PASSWORD = 'correct horse battery';
const gated = buildGraph([['start', 'start'], ['go', 'event', { event: 'go' }], ['end', 'end']], ['start.next -> go', 'go.received -> end']);

let database: TestDatabase | undefined;
let server: CairnServer | undefined;
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await server?.close();
  server = undefined;
  await database?.drop();
  database = undefined;
});

async function start(port = 0): Promise<CairnServer> {
  database ??= await createTestDatabase();
  return createServer({ databaseUrl: database.url, host: '127.0.0.1', port, clock: new FakeClock(), logger: silentLogger, sync: 'normal', adminToken: ADMIN, seed: false });
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${ADMIN}` }) {
  const response = await fetch(`${server!.url}${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json().catch(() => undefined)) as any };
}

async function signIn(username: string): Promise<{ cookie: string; csrf: string }> {
  await call('POST', '/api/v1/users', { username, password: PASSWORD, roles: ['editor'] });
  const login = await call('POST', '/api/v1/auth/login', { username, password: PASSWORD }, {});
  expect(login.status).toBe(200);
  return { cookie: login.headers.get('set-cookie')!.split(';')[0], csrf: login.body.csrfToken };
}

/** A page's client: its cookie (which the test may change, as signing in does) goes with every upgrade. */
function pageClient(session: { current: { cookie: string; csrf: string } }) {
  const origin = server!.url;
  const Socket = class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { origin, cookie: session.current.cookie } });
    }
  } as unknown as typeof globalThis.WebSocket;
  const live = createLiveConnection({ url: () => `${server!.url.replace(/^http/, 'ws')}/trpc`, sessionKey: () => session.current.csrf, WebSocket: Socket, closeMs: 60_000 });
  closers.push(() => live.pause());
  const trpc = createTRPCClient<AppRouter>({
    links: [splitLink({ condition: (op) => op.type === 'subscription', true: live.links, false: httpBatchLink({ url: `${server!.url}/trpc`, headers: () => ({ cookie: session.current.cookie }) }) })],
  });
  return { live, trpc };
}

const sockets = () => server!.app.websocketServer.clients.size;

describe('the live connection of a page', () => {
  it('shares one socket, closes it on pause, and starts the same subscriptions again on resume', async () => {
    server = await start();
    await call('PUT', '/api/v1/workflows/gated', { name: 'Gated', graph: gated });
    await call('POST', '/api/v1/workflows/gated/publish', {});
    const session = { current: await signIn('ada') };
    const { live, trpc } = pageClient(session);

    let runStarts = 0;
    let inboxAnswers = 0;
    const statuses: string[] = [];
    const runs = trpc.runs.onChange.subscribe({}, { onStarted: () => void runStarts++, onData: (change) => void statuses.push(change.status) });
    const inbox = trpc.approvals.onChange.subscribe(undefined, { onData: () => void inboxAnswers++ });
    await until(() => runStarts === 1 && inboxAnswers === 1, { what: 'both subscriptions started' });
    expect(sockets()).toBe(1);

    live.pause();
    await until(() => sockets() === 0, { what: 'the server to see the socket closed' });
    // Nothing reaches a paused page; nothing is lost either: each subscription starts again on resume
    // (the page refetches on that start).
    await call('POST', '/api/v1/workflows/gated/instances', { input: {} });
    live.resume();
    await until(() => runStarts === 2 && inboxAnswers === 2, { what: 'both subscriptions started again' });
    expect(sockets()).toBe(1);
    const run = await call('POST', '/api/v1/workflows/gated/instances', { input: {} });
    await until(() => statuses.includes('waiting'), { what: 'a change after resuming' });
    await call('POST', `/api/v1/instances/${run.body.id}/signals/go`, { data: null });
    await until(() => statuses.includes('completed'), { what: 'the run completed, live' });

    // Unsubscribing every subscription leaves the socket to the lazy close; pause closes it at once.
    runs.unsubscribe();
    inbox.unsubscribe();
    live.pause();
    await until(() => sockets() === 0, { what: 'the socket closed' });
  });

  it('reopens the socket when a subscription starts in another session (a user signed in on the page)', async () => {
    server = await start();
    const session = { current: await signIn('ada') };
    const { trpc } = pageClient(session);
    const first = await new Promise((resolve) => trpc.runs.onChange.subscribe({}, { onStarted: () => resolve('started'), onError: resolve }));
    expect(first).toBe('started');
    const [socket] = server.app.websocketServer.clients;

    // Ada signs out and Bob signs in: his subscription must not travel on Ada's socket (whose session is gone).
    await call('POST', '/api/v1/auth/logout', {}, { cookie: session.current.cookie, 'x-csrf-token': session.current.csrf });
    session.current = await signIn('bob');
    const second = await new Promise((resolve) => trpc.approvals.onChange.subscribe(undefined, { onStarted: () => resolve('started'), onError: resolve }));
    expect(second).toBe('started');
    await until(() => sockets() === 1 && ![...server!.app.websocketServer.clients].includes(socket), { what: 'a new socket in place of the old one' });
  });

  it('resumes its subscriptions by itself after the server restarts', async () => {
    server = await start();
    const port = Number(new URL(server.url).port);
    await call('PUT', '/api/v1/workflows/gated', { name: 'Gated', graph: gated });
    await call('POST', '/api/v1/workflows/gated/publish', {});
    const session = { current: await signIn('ada') };
    const { trpc } = pageClient(session);
    let starts = 0;
    const statuses: string[] = [];
    trpc.runs.onChange.subscribe({}, { onStarted: () => void starts++, onData: (change) => void statuses.push(change.status) });
    await until(() => starts === 1, { what: 'the subscription started' });

    await server.close();
    server = await start(port);
    // The first retry is at once (and fails while the server is down), the next within 1.25 s.
    await until(() => starts === 2, { what: 'the subscription started again on the new server', timeoutMs: 15_000 });
    await call('POST', '/api/v1/workflows/gated/instances', { input: {} });
    await until(() => statuses.includes('waiting'), { what: 'a change from the restarted server' });
  });
});

describe('reconnectDelay', () => {
  it('retries at once, then backs off to about 10 s', () => {
    expect(reconnectDelay(0)).toBe(0);
    for (const [attempt, base] of [[1, 1_000], [2, 2_000], [4, 8_000], [5, 10_000], [20, 10_000]]) {
      const delay = reconnectDelay(attempt);
      expect(delay).toBeGreaterThanOrEqual(base * 0.75);
      expect(delay).toBeLessThanOrEqual(base * 1.25);
    }
  });
});
