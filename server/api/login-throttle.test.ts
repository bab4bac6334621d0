// The login throttle against the real server: per user name and per client address, a clear 429
// with Retry-After on the injected clock, X-Forwarded-For believed only from a configured proxy, and
// the same answer (after the same work) for an unknown user as for a wrong password.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PASSWORD = 'correct horse battery';

async function addUser(server: TestServer, username: string) {
  expect((await server.call('POST', '/api/v1/users', { body: { username, password: PASSWORD, roles: ['editor'] } })).status).toBe(201);
}

/** A sign-in from `from` (sent as X-Forwarded-For; believed only when the server trusts the proxy). */
const login = (server: TestServer, username: string, password: string, from?: string) =>
  server.call('POST', '/api/v1/auth/login', { token: '', body: { username, password }, headers: from ? { 'x-forwarded-for': from } : {} });

describe('login throttle', () => {
  it('per user name: the 6th failure in 15 minutes is a 429 with Retry-After, from any address, even with the right password', async () => {
    const clock = new FakeClock();
    t = await startTestServer({ clock, trustProxy: ['127.0.0.1'] });
    await addUser(t, 'ed');
    for (let i = 1; i <= 5; i++) {
      expect(await login(t, 'ed', 'wrong password!', `203.0.113.${i}`)).toMatchObject({ status: 401, body: { error: { message: 'wrong username or password' } } });
      clock.advance('1m');
    }
    const refused = await login(t, 'ed', PASSWORD, '198.51.100.7');
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'TOO_MANY_REQUESTS', message: expect.stringContaining('too many failed sign-ins for "ed"') } } });
    // The first failure leaves the window 15 minutes after it: 10 minutes from now.
    expect(refused.headers.get('retry-after')).toBe('600');
    expect(refused.body.error.details).toEqual({ retryAfterSeconds: 600 });
    expect(refused.headers.get('set-cookie')).toBeNull();
    // Another name from the same addresses is not affected.
    await addUser(t, 'flo');
    expect((await login(t, 'flo', PASSWORD, '203.0.113.1')).status).toBe(200);

    clock.advance('9m');
    expect((await login(t, 'ed', PASSWORD, '198.51.100.7')).status).toBe(429);
    clock.advance('1m');
    expect((await login(t, 'ed', PASSWORD, '198.51.100.7')).status).toBe(200);
    // A success forgets the name's failures: five more are allowed before the next refusal.
    for (let i = 0; i < 5; i++) expect((await login(t, 'ed', 'wrong password!', '198.51.100.7')).status).toBe(401);
    expect((await login(t, 'ed', 'wrong password!', '198.51.100.7')).status).toBe(429);
  });

  it('per address: 20 failures over any names; a success of one name does not reset the count for the others', async () => {
    const clock = new FakeClock();
    t = await startTestServer({ clock, trustProxy: ['127.0.0.1'] });
    await addUser(t, 'ed');
    const attacker = '203.0.113.66';
    for (let i = 0; i < 19; i++) expect((await login(t, `guess${i}`, 'not the password', attacker)).status).toBe(401);
    expect((await login(t, 'ed', PASSWORD, attacker)).status).toBe(200);
    expect((await login(t, 'guess19', 'not the password', attacker)).status).toBe(401);
    const refused = await login(t, 'ed', PASSWORD, attacker);
    expect(refused).toMatchObject({ status: 429, body: { error: { message: expect.stringContaining('from your address') } } });
    expect(Number(refused.headers.get('retry-after'))).toBe(900);
    // Other addresses sign in as usual.
    expect((await login(t, 'ed', PASSWORD, '198.51.100.7')).status).toBe(200);
    clock.advance('15m');
    expect((await login(t, 'ed', PASSWORD, attacker)).status).toBe(200);
  });

  it('an IPv6 client is counted by its /64: rotating addresses inside it does not help', async () => {
    t = await startTestServer({ trustProxy: ['127.0.0.1'] });
    for (let i = 0; i < 20; i++) expect((await login(t, `guess${i}`, 'not the password', `2001:db8:1:2::${(i + 1).toString(16)}`)).status).toBe(401);
    expect((await login(t, 'someone', 'not the password', '2001:db8:1:2:ffff::1')).status).toBe(429);
    expect((await login(t, 'someone', 'not the password', '2001:db8:1:3::1')).status).toBe(401);
  });

  it('without CAIRN_TRUST_PROXY, X-Forwarded-For is ignored: every failure counts against the real address', async () => {
    t = await startTestServer();
    for (let i = 0; i < 20; i++) expect((await login(t, `guess${i}`, 'not the password', `203.0.113.${i}`)).status).toBe(401);
    expect((await login(t, 'guess20', 'not the password', '198.51.100.1')).status).toBe(429);
  });

  it('an unknown user gets the same answer as a wrong password, after the same password check', async () => {
    t = await startTestServer();
    await addUser(t, 'ed');
    const timed = async (username: string) => {
      const started = performance.now();
      const response = await login(t!, username, 'wrong password!');
      return { ms: performance.now() - started, response };
    };
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      const a = await timed('ed');
      const b = await timed(`nobody${i}`);
      expect(b.response.status).toBe(a.response.status);
      expect(b.response.body).toEqual(a.response.body);
      wrong.push(a.ms);
      unknown.push(b.ms);
    }
    // scrypt dominates both (tens of ms); without the dummy check an unknown name answers in ~1 ms.
    // The fastest of each is compared, which load on the machine can only slow down.
    expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...wrong) * 0.4);
  });

  it('a body without text credentials is a 400 and counts nothing', async () => {
    t = await startTestServer();
    for (let i = 0; i < 25; i++) {
      expect(await login(t, { name: 'ed' } as unknown as string, 'x')).toMatchObject({ status: 400, body: { error: { message: 'username and password must be text' } } });
    }
    await addUser(t, 'ed');
    expect((await login(t, 'ed', PASSWORD)).status).toBe(200);
  });
});
