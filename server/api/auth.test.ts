// Accounts and authorization against the real server: owner set-up, sessions, CSRF, roles, API
// tokens, approvals by the right people only, and versions that drain while new runs use the new one.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const sessionOf = (response: { headers: Headers; body: { csrfToken: string } }) => ({
  cookie: response.headers.get('set-cookie')!.split(';')[0],
  csrf: response.body.csrfToken,
});

async function userSession(server: TestServer, username: string, roles: string[]) {
  expect((await server.call('POST', '/api/v1/users', { body: { username, password: 'correct horse battery', roles } })).status).toBe(201);
  return sessionOf(await server.call('POST', '/api/v1/auth/login', { token: '', body: { username, password: 'correct horse battery' } }));
}

const approvalFlow = (title: string) =>
  buildGraph(
    [
      ['start', 'start'],
      ['ok', 'approval', { title, assignees: { roles: ['manager'] } }],
      ['yes', 'end', { output: `{{ "${title}" }}` }],
      ['no', 'end'],
    ],
    ['start.next -> ok', 'ok.approved -> yes', 'ok.rejected -> no'],
  );

describe('accounts', () => {
  it('first-run set-up creates the owner once; login, me, logout', async () => {
    t = await startTestServer();
    expect((await t.call('GET', '/api/v1/auth/setup', { token: '' })).body).toEqual({ setupNeeded: true });
    expect(await t.call('POST', '/api/v1/auth/setup', { token: '', body: { username: 'owner', password: 'short' } })).toMatchObject({ status: 422 });
    const setup = await t.call('POST', '/api/v1/auth/setup', { token: '', body: { username: 'owner', name: 'Olivia', password: 'a long enough secret' } });
    expect(setup).toMatchObject({ status: 201, body: { user: { username: 'owner', roles: ['admin'] }, csrfToken: expect.any(String) } });
    expect(setup.headers.get('set-cookie')).toMatch(/cairn_session=.+; .*HttpOnly/i);
    expect(await t.call('POST', '/api/v1/auth/setup', { token: '', body: { username: 'intruder', password: 'a long enough secret' } })).toMatchObject({ status: 409 });

    expect(await t.call('POST', '/api/v1/auth/login', { token: '', body: { username: 'owner', password: 'wrong password!' } })).toMatchObject({ status: 401 });
    const session = sessionOf(await t.call('POST', '/api/v1/auth/login', { token: '', body: { username: 'owner', password: 'a long enough secret' } }));
    expect((await t.call('GET', '/api/v1/auth/me', { cookie: session.cookie })).body).toMatchObject({ principal: { name: 'owner', roles: ['admin'] }, csrfToken: session.csrf });
    expect((await t.call('GET', '/api/v1/workflows', { cookie: session.cookie })).status).toBe(200);
    await t.call('POST', '/api/v1/auth/logout', { cookie: session.cookie, headers: { 'x-csrf-token': session.csrf } });
    expect(await t.call('GET', '/api/v1/workflows', { cookie: session.cookie })).toMatchObject({ status: 401 });
  });

  it('a cookie mutation without the CSRF header is refused and changes nothing', async () => {
    t = await startTestServer();
    const editor = await userSession(t, 'ed', ['editor']);
    const graph = approvalFlow('x');
    expect(await t.call('PUT', '/api/v1/workflows/x', { cookie: editor.cookie, body: { graph } })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await t.call('PUT', '/api/v1/workflows/x', { cookie: editor.cookie, headers: { 'x-csrf-token': 'guess' }, body: { graph } })).toMatchObject({ status: 403 });
    expect(await t.count('SELECT COUNT(*) AS n FROM workflows')).toBe(0);
    expect(await t.call('PUT', '/api/v1/workflows/x', { cookie: editor.cookie, headers: { 'x-csrf-token': editor.csrf }, body: { graph } })).toMatchObject({ status: 201 });
  });

  it('sessions expire', async () => {
    const clock = new FakeClock();
    t = await startTestServer({ clock, sessionTtlMs: 3_600_000 });
    const editor = await userSession(t, 'ed', ['editor']);
    expect((await t.call('GET', '/api/v1/workflows', { cookie: editor.cookie })).status).toBe(200);
    clock.advance('1h');
    expect(await t.call('GET', '/api/v1/workflows', { cookie: editor.cookie })).toMatchObject({ status: 401, body: { error: { message: expect.stringContaining('expired') } } });
  });

  it('no token 401, a wrong token 401, the wrong role 403', async () => {
    t = await startTestServer();
    expect(await t.call('GET', '/api/v1/workflows', { token: '' })).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(await t.call('GET', '/api/v1/workflows', { token: 'cairn_not-a-token' })).toMatchObject({ status: 401 });
    const approver = await userSession(t, 'apr', ['approver', 'manager']);
    expect(await t.call('GET', '/api/v1/workflows', { cookie: approver.cookie })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await t.call('GET', '/api/v1/users', { cookie: approver.cookie })).toMatchObject({ status: 403 });
    expect((await t.call('GET', '/api/v1/approvals', { cookie: approver.cookie })).status).toBe(200);
  });

  it('an API token is shown once, stored hashed, carries its role and can be revoked', async () => {
    t = await startTestServer();
    const created = await t.call('POST', '/api/v1/tokens', { body: { name: 'billing', role: 'editor' } });
    expect(created).toMatchObject({ status: 201, body: { name: 'billing', role: 'editor', token: expect.stringMatching(/^cairn_/) } });
    const { token, id } = created.body;
    const listed = await t.call('GET', '/api/v1/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const stored = (await t.server.prisma.apiToken.findMany()).map((row) => row.tokenHash);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toBe(token);
    expect(stored[0]).toMatch(/^[0-9a-f]{64}$/);
    expect((await t.call('GET', '/api/v1/workflows', { token })).status).toBe(200);
    expect(await t.call('GET', '/api/v1/users', { token })).toMatchObject({ status: 403 });
    expect(await t.call('POST', '/api/v1/tokens', { body: { role: 'superuser' } })).toMatchObject({ status: 422 });
    expect((await t.call('DELETE', `/api/v1/tokens/${id}`)).status).toBe(204);
    expect(await t.call('GET', '/api/v1/workflows', { token })).toMatchObject({ status: 401 });
  });
});

describe('approvals over REST', () => {
  it('the caller sees their tasks (by role); another user’s approval is 403; decide once', async () => {
    t = await startTestServer();
    await t.call('PUT', '/api/v1/workflows/buy', { body: { graph: approvalFlow('Buy a chair?') } });
    await t.call('POST', '/api/v1/workflows/buy/publish', { body: {} });
    const { body: run } = await t.call('POST', '/api/v1/workflows/buy/instances', { body: { input: {} } });
    const manager = await userSession(t, 'mia', ['approver', 'manager']);
    const clerk = await userSession(t, 'carl', ['approver', 'clerk']);

    const mine = await t.call('GET', '/api/v1/approvals?status=pending', { cookie: manager.cookie });
    expect(mine).toMatchObject({ status: 200, body: [{ title: 'Buy a chair?', instanceId: run.id, status: 'pending' }] });
    expect((await t.call('GET', '/api/v1/approvals', { cookie: clerk.cookie })).body).toEqual([]);
    // An admin may decide any task, but their inbox lists what is assigned to them.
    expect((await t.call('GET', '/api/v1/approvals')).body).toEqual([]);
    const taskId = mine.body[0].id;
    const path = `/api/v1/approvals/${encodeURIComponent(taskId)}`;
    expect(await t.call('GET', path, { cookie: clerk.cookie })).toMatchObject({ status: 403 });
    expect(await t.call('POST', `${path}/decision`, { cookie: clerk.cookie, headers: { 'x-csrf-token': clerk.csrf }, body: { decision: 'approve' } })).toMatchObject({ status: 403 });
    expect(await t.call('POST', `${path}/decision`, { cookie: manager.cookie, headers: { 'x-csrf-token': manager.csrf }, body: { decision: 'maybe' } })).toMatchObject({ status: 422 });
    const decided = await t.call('POST', `${path}/decision`, { cookie: manager.cookie, headers: { 'x-csrf-token': manager.csrf }, body: { decision: 'approve', comment: 'Sit well' } });
    expect(decided).toMatchObject({ status: 200, body: { status: 'approved', decidedBy: 'mia', comment: 'Sit well' } });
    expect(await t.call('POST', `${path}/decision`, { body: { decision: 'reject' } })).toMatchObject({ status: 409 });
    expect(await t.call('POST', '/api/v1/approvals/nope/decision', { body: { decision: 'approve' } })).toMatchObject({ status: 404 });
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${run.id}`)).body).toMatchObject({ status: 'completed', output: 'Buy a chair?' });
  });
});

describe('versions drain', () => {
  it('v1 keeps its waiting run while v2 takes new runs; v1 goes draining, then retired', async () => {
    t = await startTestServer();
    await t.call('PUT', '/api/v1/workflows/buy', { body: { graph: approvalFlow('v1: buy?') } });
    await t.call('POST', '/api/v1/workflows/buy/publish', { body: {} });
    const { body: old } = await t.call('POST', '/api/v1/workflows/buy/instances', { body: { input: {} } });
    expect(old.version).toBe(1);

    await t.call('PUT', '/api/v1/workflows/buy', { body: { graph: approvalFlow('v2: buy?') } });
    expect(await t.call('POST', '/api/v1/workflows/buy/publish', { body: {} })).toMatchObject({ status: 201, body: { version: 2 } });
    const { body: fresh } = await t.call('POST', '/api/v1/workflows/buy/instances', { body: { input: {} } });
    expect(fresh.version).toBe(2);

    const draining = (await t.call('GET', '/api/v1/workflows/buy/versions')).body;
    expect(draining).toEqual([
      expect.objectContaining({ version: 2, state: 'active', runs: expect.objectContaining({ waiting: 1 }), waitingAt: { ok: 1 } }),
      expect.objectContaining({ version: 1, state: 'draining', runs: expect.objectContaining({ waiting: 1 }), waitingAt: { ok: 1 } }),
    ]);

    const manager = await userSession(t, 'mia', ['approver', 'manager']);
    const [task] = (await t.call('GET', '/api/v1/approvals', { cookie: manager.cookie })).body.filter((candidate: { instanceId: string }) => candidate.instanceId === old.id);
    expect(task.title).toBe('v1: buy?');
    await t.call('POST', `/api/v1/approvals/${encodeURIComponent(task.id)}/decision`, { body: { decision: 'approve' } });
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${old.id}`)).body).toMatchObject({ status: 'completed', version: 1, output: 'v1: buy?' });
    const after = (await t.call('GET', '/api/v1/workflows/buy/versions')).body;
    expect(after[1]).toMatchObject({ version: 1, state: 'retired', runs: expect.objectContaining({ completed: 1, waiting: 0 }) });

    expect(await t.call('POST', '/api/v1/workflows/buy/versions/1/promote', { body: {} })).toMatchObject({ status: 200, body: { activeVersion: 1 } });
    expect((await t.call('POST', '/api/v1/workflows/buy/instances', { body: { input: {} } })).body.version).toBe(1);
    expect((await t.call('GET', '/api/v1/workflows/buy/versions')).body[0]).toMatchObject({ version: 2, state: 'draining' });
    expect(await t.call('POST', '/api/v1/workflows/buy/versions/9/promote', { body: {} })).toMatchObject({ status: 404 });
  });
});
