// Admins manage users against the real server: disabling (sign-in, sessions and tokens stop at once),
// a new password (other sessions end), and API tokens that never grant more than their owner holds
// now. REST and the settings page's tRPC procedure; refused changes store nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PASSWORD = 'correct horse battery';

interface Session {
  cookie: string;
  csrf: string;
  userId: string;
}

async function addUser(server: TestServer, username: string, roles: string[]): Promise<string> {
  const created = await server.call('POST', '/api/v1/users', { body: { username, password: PASSWORD, roles } });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function signIn(server: TestServer, username: string, password = PASSWORD): Promise<Session> {
  const response = await server.call('POST', '/api/v1/auth/login', { token: '', body: { username, password } });
  expect(response.status).toBe(200);
  return { cookie: response.headers.get('set-cookie')!.split(';')[0], csrf: response.body.csrfToken, userId: response.body.user.id };
}

/** An API token made by `owner` (an admin, signed in): the token belongs to them. */
async function tokenOf(server: TestServer, owner: Session, role: string): Promise<string> {
  const created = await server.call('POST', '/api/v1/tokens', { cookie: owner.cookie, headers: { 'x-csrf-token': owner.csrf }, body: { name: `${role} token`, role } });
  expect(created.status).toBe(201);
  return created.body.token as string;
}

const patch = (server: TestServer, id: string, body: unknown, as: { token?: string; session?: Session } = {}) =>
  server.call('PATCH', `/api/v1/users/${id}`, as.session ? { cookie: as.session.cookie, headers: { 'x-csrf-token': as.session.csrf }, body } : { token: as.token, body });

describe('disabling a user', () => {
  it('stops their sign-in, their sessions and their API tokens at once; enabling lets them sign in again', async () => {
    t = await startTestServer();
    const adaId = await addUser(t, 'ada', ['admin']);
    const ada = await signIn(t, 'ada');
    const token = await tokenOf(t, ada, 'editor');
    expect((await t.call('GET', '/api/v1/workflows', { token })).status).toBe(200);

    const disabled = await patch(t, adaId, { disabled: true });
    expect(disabled).toMatchObject({ status: 200, body: { username: 'ada', disabledAt: expect.any(String) } });
    expect(await t.call('GET', '/api/v1/workflows', { cookie: ada.cookie })).toMatchObject({ status: 401 });
    expect(await t.call('GET', '/api/v1/workflows', { token })).toMatchObject({ status: 401, body: { error: { message: 'the owner of this token (ada) is disabled' } } });
    expect(await t.call('POST', '/api/v1/auth/login', { token: '', body: { username: 'ada', password: PASSWORD } })).toMatchObject({ status: 403, body: { error: { message: expect.stringContaining('disabled') } } });
    // A wrong password says nothing about the account.
    expect(await t.call('POST', '/api/v1/auth/login', { token: '', body: { username: 'ada', password: 'wrong password!' } })).toMatchObject({ status: 401, body: { error: { message: 'wrong username or password' } } });
    expect(await t.count('SELECT COUNT(*) AS n FROM sessions')).toBe(0);
    expect((await t.call('GET', '/api/v1/users')).body).toEqual([expect.objectContaining({ username: 'ada', disabledAt: expect.any(String) })]);

    expect(await patch(t, adaId, { disabled: false })).toMatchObject({ status: 200, body: { disabledAt: null } });
    expect(await t.call('GET', '/api/v1/workflows', { cookie: ada.cookie })).toMatchObject({ status: 401 });
    expect((await t.call('GET', '/api/v1/workflows', { token })).status).toBe(200);
    const again = await signIn(t, 'ada');
    expect((await t.call('GET', '/api/v1/workflows', { cookie: again.cookie })).status).toBe(200);
  });

  it('refuses to disable one’s own account, bad fields and non-admins; nothing changes', async () => {
    t = await startTestServer();
    const adaId = await addUser(t, 'ada', ['admin']);
    const edId = await addUser(t, 'ed', ['editor']);
    const ada = await signIn(t, 'ada');
    const ed = await signIn(t, 'ed');
    expect(await patch(t, adaId, { disabled: true }, { session: ada })).toMatchObject({ status: 409, body: { error: { message: 'you cannot disable your own account' } } });
    expect(await patch(t, edId, { disabled: 'yes' })).toMatchObject({ status: 400, body: { error: { message: 'disabled must be true or false' } } });
    expect(await patch(t, edId, { disabled: true, password: 'short' })).toMatchObject({ status: 422, body: { error: { message: expect.stringContaining('password must be at least') } } });
    expect(await patch(t, edId, { disabled: true, roles: [] })).toMatchObject({ status: 422 });
    expect(await patch(t, edId, {})).toMatchObject({ status: 400, body: { error: { message: 'send disabled, password, roles or email' } } });
    expect(await patch(t, edId, { disabled: true, admin: true })).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('unknown field "admin"') } } });
    expect(await patch(t, edId, [true])).toMatchObject({ status: 400 });
    expect(await patch(t, 'no-such-user', { disabled: true })).toMatchObject({ status: 404 });
    expect(await patch(t, adaId, { disabled: true }, { session: ed })).toMatchObject({ status: 403 });
    expect(await t.count('SELECT COUNT(*) AS n FROM users WHERE disabled_at IS NOT NULL')).toBe(0);
    expect((await t.call('GET', '/api/v1/workflows', { cookie: ed.cookie })).status).toBe(200);
  });
});

describe('a new password set by an admin', () => {
  it('replaces the old one and ends the user’s sessions, but keeps the admin’s own when they change their own', async () => {
    t = await startTestServer();
    const edId = await addUser(t, 'ed', ['editor']);
    const adaId = await addUser(t, 'ada', ['admin']);
    const ed = await signIn(t, 'ed');
    const ada = await signIn(t, 'ada');
    const adaElsewhere = await signIn(t, 'ada');

    expect(await patch(t, edId, { password: 'a brand new secret' }, { session: ada })).toMatchObject({ status: 200, body: { username: 'ed' } });
    expect(await t.call('GET', '/api/v1/workflows', { cookie: ed.cookie })).toMatchObject({ status: 401 });
    expect(await t.call('POST', '/api/v1/auth/login', { token: '', body: { username: 'ed', password: PASSWORD } })).toMatchObject({ status: 401 });
    await signIn(t, 'ed', 'a brand new secret');

    expect((await patch(t, adaId, { password: 'my own new secret' }, { session: ada })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/users', { cookie: ada.cookie })).status).toBe(200);
    expect(await t.call('GET', '/api/v1/users', { cookie: adaElsewhere.cookie })).toMatchObject({ status: 401 });
  });

  it('works through tRPC for the settings page (users.update), with the same checks', async () => {
    t = await startTestServer();
    const edId = await addUser(t, 'ed', ['editor']);
    const trpc = (input: unknown) =>
      fetch(`${t!.server.url}/trpc/users.update`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const disabled = await trpc({ id: edId, disabled: true });
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as { result: { data: { disabledAt: string | null } } }).result.data.disabledAt).toEqual(expect.any(String));
    expect(await t.call('POST', '/api/v1/auth/login', { token: '', body: { username: 'ed', password: PASSWORD } })).toMatchObject({ status: 403 });
    const short = await trpc({ id: edId, password: 'short' });
    expect(short.status).toBe(422);
    expect((await trpc({ id: edId, disabled: false, password: 'another good secret' })).status).toBe(200);
    await signIn(t, 'ed', 'another good secret');
  });
});

describe('an API token never grants more than its owner holds now', () => {
  it('demoting the owner narrows the token at once; restoring them restores it', async () => {
    t = await startTestServer();
    const adaId = await addUser(t, 'ada', ['admin']);
    const ada = await signIn(t, 'ada');
    const token = await tokenOf(t, ada, 'editor');
    const can = async () => ({
      workflows: (await t!.call('GET', '/api/v1/workflows', { token })).status,
      approvals: (await t!.call('GET', '/api/v1/approvals', { token })).status,
      users: (await t!.call('GET', '/api/v1/users', { token })).status,
    });
    expect(await can()).toEqual({ workflows: 200, approvals: 200, users: 403 });

    await t.call('PUT', `/api/v1/users/${adaId}/roles`, { body: { roles: ['editor'] } });
    expect(await can()).toEqual({ workflows: 200, approvals: 200, users: 403 });
    await t.call('PUT', `/api/v1/users/${adaId}/roles`, { body: { roles: ['approver', 'manager'] } });
    expect(await can()).toEqual({ workflows: 403, approvals: 200, users: 403 });
    // The token's built-in role is cut to what the owner holds; the owner's custom roles come along
    // (they only let the token see tasks assigned to them).
    expect((await t.call('GET', '/api/v1/auth/me', { token })).body.principal).toMatchObject({ name: 'ada', roles: ['approver', 'manager'] });
    expect((await patch(t, adaId, { roles: ['manager'] })).status).toBe(200);
    // Everyone signed in has an inbox (of the tasks assigned to them), so approvals stays open.
    expect(await can()).toEqual({ workflows: 403, approvals: 200, users: 403 });
    await t.call('PUT', `/api/v1/users/${adaId}/roles`, { body: { roles: ['admin'] } });
    expect(await can()).toEqual({ workflows: 200, approvals: 200, users: 403 });
  });

  it('a token made by CAIRN_ADMIN_TOKEN automation (no owner) keeps its role', async () => {
    t = await startTestServer();
    const { token } = (await t.call('POST', '/api/v1/tokens', { body: { role: 'admin' } })).body;
    expect((await t.call('GET', '/api/v1/users', { token })).status).toBe(200);
  });
});
