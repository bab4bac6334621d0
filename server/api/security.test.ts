// Transport and answers against the real server: security headers on the web app and the API, the
// Secure cookie flag over HTTPS (public URL, or a trusted proxy's X-Forwarded-Proto), and no stack
// trace or file path in a 500 from REST or tRPC.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
let webRoot: string | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  webRoot = undefined;
});

/** A stand-in for the built web app, so the page's headers are checked even without a build. */
function tinyWebApp(): string {
  webRoot = mkdtempSync(path.join(os.tmpdir(), 'cairn-web-'));
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Cairn</title><div id="root"></div>');
  return webRoot;
}

const directives = (csp: string | null) => new Map((csp ?? '').split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

describe('security headers', () => {
  it('the web app (any page, e.g. the inbox) and the API forbid framing, sniffing, referrers and inline script', async () => {
    t = await startTestServer({ webRoot: tinyWebApp() });
    const answers = await Promise.all(['/inbox', '/', '/api/v1/health', '/api/v1/nope', '/trpc/me'].map((url) => fetch(`${t!.server.url}${url}`)));
    for (const answer of answers) {
      const csp = directives(answer.headers.get('content-security-policy'));
      expect(csp.get('frame-ancestors'), answer.url).toEqual(["'none'"]);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toContain("'self'");
      expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.has('upgrade-insecure-requests')).toBe(false);
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      // Plain http: no promise of https.
      expect(answer.headers.get('strict-transport-security')).toBeNull();
    }
    expect(await answers[0].text()).toContain('<div id="root">');
  });

  it('behind https (CAIRN_PUBLIC_URL): HSTS and upgrade-insecure-requests', async () => {
    t = await startTestServer({ publicUrl: 'https://cairn.example.com' });
    const answer = await fetch(`${t.server.url}/api/v1/health`);
    expect(answer.headers.get('strict-transport-security')).toMatch(/^max-age=\d+$/);
    expect(directives(answer.headers.get('content-security-policy')).has('upgrade-insecure-requests')).toBe(true);
  });
});

describe('the Secure cookie flag', () => {
  const setUp = (server: TestServer, headers: Record<string, string> = {}) =>
    server.call('POST', '/api/v1/auth/setup', { token: '', headers, body: { username: 'owner', password: 'a long enough secret' } });
  const login = (server: TestServer, headers: Record<string, string> = {}) =>
    server.call('POST', '/api/v1/auth/login', { token: '', headers, body: { username: 'owner', password: 'a long enough secret' } });
  const isSecure = (response: { headers: Headers }) => /;\s*Secure/i.test(response.headers.get('set-cookie') ?? '');

  it('is set when CAIRN_PUBLIC_URL is https', async () => {
    t = await startTestServer({ publicUrl: 'https://cairn.example.com' });
    const setup = await setUp(t);
    expect(setup.status).toBe(201);
    expect(isSecure(setup)).toBe(true);
    expect(isSecure(await login(t))).toBe(true);
  });

  it('is not set over plain http, and X-Forwarded-Proto from an untrusted client changes nothing', async () => {
    t = await startTestServer({ publicUrl: 'http://cairn.internal:3000' });
    expect(isSecure(await setUp(t, { 'x-forwarded-proto': 'https' }))).toBe(false);
    expect(isSecure(await login(t, { 'x-forwarded-proto': 'https' }))).toBe(false);
  });

  it('follows X-Forwarded-Proto from a proxy named in CAIRN_TRUST_PROXY', async () => {
    t = await startTestServer({ trustProxy: ['loopback'] });
    expect(isSecure(await setUp(t, { 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(isSecure(await login(t, { 'x-forwarded-proto': 'http' }))).toBe(false);
    expect(isSecure(await login(t, { 'x-forwarded-proto': 'https' }))).toBe(true);
  });
});

describe('no stack traces or file paths in answers', () => {
  /** Everything a client could learn from an answer, as text. */
  const leaks = (text: string) => [/\bstack\b/i, /\bat \S+ \(/, /\/work\/|\/home\/|[A-Z]:\\/, /\.[cm]?[jt]s:\d+/, /node_modules/, /prisma\.\w+\.\w+\(\)/].filter((pattern) => pattern.test(text));

  it('a 500 from REST and from tRPC says only that something went wrong', async () => {
    t = await startTestServer();
    // A real fault under the API: the users table is gone, so Prisma's error (which names the
    // calling file and line) reaches the error handlers.
    await t.server.prisma.$executeRawUnsafe('ALTER TABLE users RENAME TO users_elsewhere');

    const rest = await fetch(`${t.server.url}/api/v1/users`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const restText = await rest.text();
    expect(rest.status).toBe(500);
    expect(JSON.parse(restText)).toEqual({ error: { code: 'INTERNAL', message: 'something went wrong on our side; it has been logged' } });
    expect(leaks(restText)).toEqual([]);

    const trpc = await fetch(`${t.server.url}/trpc/users.list`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const trpcText = await trpc.text();
    expect(trpc.status).toBe(500);
    const shape = JSON.parse(trpcText) as { error: { message: string; data: Record<string, unknown> } };
    expect(shape.error.message).toBe('something went wrong on our side; it has been logged');
    expect(shape.error.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 });
    expect(shape.error.data).not.toHaveProperty('stack');
    expect(leaks(trpcText)).toEqual([]);

    // The same through a batch, as the web app calls it.
    const batch = await fetch(`${t.server.url}/trpc/users.list,workflows.list?batch=1&input=${encodeURIComponent('{}')}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const batchText = await batch.text();
    expect(leaks(batchText)).toEqual([]);
    expect(JSON.parse(batchText)[1]).toMatchObject({ result: { data: [] } });
  });

  it('4xx answers from tRPC carry no stack either', async () => {
    t = await startTestServer();
    const answer = await fetch(`${t.server.url}/trpc/workflows.get?input=${encodeURIComponent(JSON.stringify({ slug: 'nope' }))}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const text = await answer.text();
    expect(answer.status).toBe(404);
    expect(JSON.parse(text).error.data).toMatchObject({ code: 'NOT_FOUND', cairn: { code: 'NOT_FOUND' } });
    expect(leaks(text)).toEqual([]);
  });
});
