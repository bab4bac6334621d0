// An approval's policy over the real server (both databases): self-approval refused on every path
// (REST and tRPC, reading and deciding) with a message saying why; a 2-of-4 quorum's progress; a
// delegate deciding "on behalf of" through tRPC, as history and the audit log say; delegation's
// refusals (oneself, unknown users, overlaps, a loop A→B→A, bad periods, someone else's tasks);
// and N > M refused at publish naming the field.
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph } from '../testing/graphs.js';
import { openDatabaseReader } from '../testing/database-reader.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';
import type { AppRouter } from './trpc/router.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PASSWORD = 'a long enough secret';
const PEOPLE = { eve: ['editor'], ann: ['approver'], bob: ['approver'], cy: ['approver'], dan: ['approver'], admin: ['admin'] } as const;
type Person = keyof typeof PEOPLE;

const expense = (policy: Record<string, unknown>) =>
  buildGraph(
    [['start', 'start'], ['review', 'approval', { title: 'Pay {{ input.employee }}?', assignees: { users: ['ann', 'bob', 'cy', 'eve', 'admin'] }, ...policy }], ['yes', 'end'], ['no', 'end']],
    ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no'],
  );

interface Session {
  cookie: string;
  csrf: string;
}

async function setUp(server: TestServer) {
  const sessions = {} as Record<Person, Session>;
  for (const [username, roles] of Object.entries(PEOPLE)) {
    expect((await server.call('POST', '/api/v1/users', { body: { username, password: PASSWORD, roles } })).status).toBe(201);
    const login = await server.call('POST', '/api/v1/auth/login', { token: '', body: { username, password: PASSWORD } });
    sessions[username as Person] = { cookie: login.headers.get('set-cookie')!.split(';')[0], csrf: login.body.csrfToken };
  }
  const rest = (person: Person) => (method: string, url: string, body?: unknown) =>
    server.call(method, url, { token: '', cookie: sessions[person].cookie, headers: method === 'GET' ? {} : { 'x-csrf-token': sessions[person].csrf }, body });
  const trpc = (person: Person) =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.server.url}/trpc`, headers: { cookie: sessions[person].cookie, 'x-csrf-token': sessions[person].csrf } })] });
  return { rest, trpc };
}

const decisionUrl = (taskId: string) => `/api/v1/approvals/${encodeURIComponent(taskId)}/decision`;
const taskUrl = (taskId: string) => `/api/v1/approvals/${encodeURIComponent(taskId)}`;
const codeOf = (error: unknown) => (error instanceof TRPCClientError ? (error.data as { code?: string }).code : String(error));

describe('approval policy over the API', () => {
  it('refuses self-approval on every path, counts a quorum, and lets a delegate decide on behalf of', async () => {
    t = await startTestServer();
    const { rest, trpc } = await setUp(t);
    const policy = { approvalsNeeded: 2, forbidSelfApproval: true, selfApprover: '{{ input.employee }}' };
    expect((await t.call('PUT', '/api/v1/workflows/expense', { body: { name: 'Expense', graph: expense(policy) } })).status).toBe(201);
    expect((await t.call('POST', '/api/v1/workflows/expense/publish', { body: {} })).status).toBe(201);
    // eve starts the run; it is about ann's expense: neither may decide it.
    const started = await rest('eve')('POST', '/api/v1/workflows/expense/instances', { input: { employee: 'ann' } });
    expect(started.status).toBe(201);
    await t.worker.drain();
    const taskId = `${started.body.id}:review:1`;

    for (const person of ['eve', 'ann'] as const) {
      const refused = await rest(person)('POST', decisionUrl(taskId), { decision: 'approve' });
      expect(refused, person).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN', message: expect.stringContaining('self-approval is forbidden') } } });
      expect((await rest(person)('GET', taskUrl(taskId))).status).toBe(403);
      expect((await rest(person)('GET', '/api/v1/approvals')).body).toEqual([]);
      const viaTrpc = await trpc(person).approvals.decide.mutate({ id: taskId, decision: 'approve' }).catch((error: unknown) => error);
      expect(codeOf(viaTrpc)).toBe('FORBIDDEN');
      expect((viaTrpc as Error).message).toContain('self-approval is forbidden');
    }
    const afterBob = await rest('bob')('POST', decisionUrl(taskId), { decision: 'approve' });
    expect(afterBob).toMatchObject({ status: 200, body: { status: 'pending', progress: '1 of 2 approved', decisions: [{ by: 'bob', decision: 'approved' }] } });

    // cy is away: her tasks go to dan, who decides through tRPC on her behalf.
    const until = new Date(t.clock.now() + 7 * 86_400_000).toISOString();
    const made = await rest('cy')('POST', '/api/v1/delegations', { to: 'dan', until });
    expect(made).toMatchObject({ status: 201, body: { fromUser: 'cy', toUser: 'dan', active: true } });
    const inbox = (await rest('dan')('GET', '/api/v1/approvals')).body;
    expect(inbox).toMatchObject([{ id: taskId, assignedToYou: true, decidingFor: 'cy', progress: '1 of 2 approved' }]);
    expect(await trpc('dan').approvals.decide.mutate({ id: taskId, decision: 'approve', comment: 'for cy' })).toMatchObject({ status: 'approved', decidedBy: 'dan', onBehalfOf: 'cy' });
    // cy herself has now been decided for.
    expect(await rest('cy')('POST', decisionUrl(taskId), { decision: 'reject' })).toMatchObject({ status: 409 });
    await t.worker.drain();
    const history = (await t.call('GET', `/api/v1/instances/${started.body.id}/history`)).body as { type: string; data: Record<string, unknown> }[];
    expect(history.find((event) => event.type === 'approvalDecided')?.data).toMatchObject({ by: 'dan', onBehalfOf: 'cy', comment: 'for cy' });
    // The audit log verifies over REST, for admins only.
    expect(await t.call('GET', '/api/v1/audit/verify')).toMatchObject({ status: 200, body: { ok: true, entries: 4 } });
    expect(await rest('bob')('GET', '/api/v1/audit/verify')).toMatchObject({ status: 403 });
    const reader = await openDatabaseReader(t.databaseUrl);
    try {
      expect(await reader.rows('SELECT actor, on_behalf_of FROM audit_log WHERE kind = ? ORDER BY seq', 'decided')).toEqual([
        { actor: 'bob', on_behalf_of: null },
        { actor: 'dan', on_behalf_of: 'cy' },
      ]);
      expect(await reader.count("SELECT COUNT(*) FROM audit_log WHERE kind = 'delegation'")).toBe(1);
    } finally {
      await reader.close();
    }
  });

  it('refuses bad delegations with a message naming what is wrong, and revokes', async () => {
    t = await startTestServer();
    const { rest, trpc } = await setUp(t);
    const now = t.clock.now();
    const day = 86_400_000;
    const iso = (at: number) => new Date(at).toISOString();
    const until = iso(now + 7 * day);
    const post = (person: Person, body: unknown) => rest(person)('POST', '/api/v1/delegations', body);

    expect(await post('ann', { to: 'ann', until })).toMatchObject({ status: 422, body: { error: { message: expect.stringContaining('cannot delegate to themselves') } } });
    expect(await post('ann', { to: 'ghost', until })).toMatchObject({ status: 404, body: { error: { message: expect.stringContaining('no user named "ghost"') } } });
    expect(await post('ann', { until })).toMatchObject({ status: 422, body: { error: { message: expect.stringContaining('to') } } });
    expect(await post('ann', { to: 'bob', until: 'next tuesday' })).toMatchObject({ status: 422, body: { error: { message: expect.stringContaining('ISO 8601') } } });
    expect(await post('ann', { to: 'bob', until: iso(now - day) })).toMatchObject({ status: 422, body: { error: { message: expect.stringContaining('in the past') } } });
    expect(await post('ann', { to: 'bob', from: iso(now + 3 * day), until: iso(now + 2 * day) })).toMatchObject({ status: 422, body: { error: { message: expect.stringContaining('must come after') } } });
    expect(await post('ann', { to: 'bob', until: iso(now + 400 * day) })).toMatchObject({ status: 422, body: { error: { message: expect.stringContaining('at most a year') } } });
    expect(await post('ann', { to: 'bob', until, delegator: 'cy' })).toMatchObject({ status: 403, body: { error: { message: expect.stringContaining('only admins') } } });
    expect(await post('ann', { to: { name: 'bob' }, until })).toMatchObject({ status: 422 });
    expect(await post('ann', { to: 'b'.repeat(5000), until })).toMatchObject({ status: 422 });

    const first = await post('ann', { to: 'bob', until });
    expect(first.status).toBe(201);
    // Overlapping another of ann's own, to anyone.
    expect(await post('ann', { to: 'cy', from: iso(now + day), until: iso(now + 2 * day) })).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('already delegates to bob') } } });
    // A loop: bob → ann while ann → bob.
    expect(await post('bob', { to: 'ann', until })).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('loop: bob → ann → bob') } } });
    // A longer loop, through tRPC: with ann → bob and cy → ann, bob → cy would close bob → cy → ann → bob.
    await trpc('cy').delegations.create.mutate({ to: 'ann', until });
    const loop = await trpc('bob').delegations.create.mutate({ to: 'cy', until }).catch((error: unknown) => error);
    expect(codeOf(loop)).toBe('CONFLICT');
    expect((loop as Error).message).toContain('bob → cy → ann → bob');
    // Two made at the same instant that would loop: one is refused.
    const together = await Promise.all([post('dan', { to: 'eve', until }), post('eve', { to: 'dan', until })]);
    expect(together.map((answer) => answer.status).sort()).toEqual([201, 409]);
    // An admin may set one up for someone else (the one that won above is revoked first).
    for (const person of ['dan', 'eve'] as const) {
      const own = (await rest(person)('GET', '/api/v1/delegations')).body.filter((d: { fromUser: string }) => d.fromUser === person);
      for (const delegation of own) expect((await rest(person)('DELETE', `/api/v1/delegations/${delegation.id}`)).status).toBe(200);
    }
    expect(await post('admin', { to: 'dan', until, delegator: 'eve' })).toMatchObject({ status: 201, body: { fromUser: 'eve', toUser: 'dan', createdBy: 'admin' } });

    // Chains are followed: cy → ann → bob, so bob stands in for ann and for cy.
    expect((await rest('bob')('GET', '/api/v1/delegations')).body.map((d: { fromUser: string }) => d.fromUser)).toEqual(['ann']);
    // Revoking: only ann (or an admin) may revoke hers; then a new one to cy is fine.
    expect(await rest('bob')('DELETE', `/api/v1/delegations/${first.body.id}`)).toMatchObject({ status: 404 });
    expect(await rest('ann')('DELETE', `/api/v1/delegations/${first.body.id}`)).toMatchObject({ status: 200, body: { revokedAt: expect.any(String), active: false } });
    expect(await rest('ann')('DELETE', `/api/v1/delegations/${first.body.id}`)).toMatchObject({ status: 404 });
    expect(await post('ann', { to: 'dan', until })).toMatchObject({ status: 201 });
  });

  it('two REST decisions at the same instant: on 2 of 3 both count; on "any" one wins and the other is 409', async () => {
    t = await startTestServer();
    const { rest } = await setUp(t);
    const start = async (slug: string, policy: Record<string, unknown>) => {
      expect((await t!.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph: expense(policy) } })).status).toBe(201);
      expect((await t!.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} })).status).toBe(201);
      const id = (await t!.call('POST', `/api/v1/workflows/${slug}/instances`, { body: { input: { employee: 'nobody' } } })).body.id as string;
      await t!.worker.drain();
      return { id, taskId: `${id}:review:1` };
    };
    const quorum = await start('quorum', { approvalsNeeded: 2 });
    const any = await start('first', {});
    const both = await Promise.all([rest('ann')('POST', decisionUrl(quorum.taskId), { decision: 'approve' }), rest('bob')('POST', decisionUrl(quorum.taskId), { decision: 'approve' })]);
    expect(both.map((answer) => answer.status)).toEqual([200, 200]);
    const race = await Promise.all([rest('ann')('POST', decisionUrl(any.taskId), { decision: 'approve' }), rest('bob')('POST', decisionUrl(any.taskId), { decision: 'reject' })]);
    expect(race.map((answer) => answer.status).sort()).toEqual([200, 409]);
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${quorum.id}`)).body.status).toBe('completed');
    expect((await t.call('GET', taskUrl(quorum.taskId))).body).toMatchObject({ status: 'approved', progress: '2 of 2 approved' });
    const winner = race.find((answer) => answer.status === 200)!.body.status as string;
    expect((await t.call('GET', taskUrl(any.taskId))).body).toMatchObject({ status: winner, decisions: [{ decision: winner }] });
  });

  it('refuses N of M with N > M at publish, naming the field', async () => {
    t = await startTestServer();
    expect((await t.call('PUT', '/api/v1/workflows/bad', { body: { name: 'Bad', graph: expense({ approvalsNeeded: 9 }) } })).status).toBe(201);
    const refused = await t.call('POST', '/api/v1/workflows/bad/publish', { body: {} });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('approvalsNeeded');
    expect(JSON.stringify(refused.body)).toContain('needs 9 approvals but names only 5 user(s)');
  });
});
