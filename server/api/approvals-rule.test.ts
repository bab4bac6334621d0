// Who sees and decides an approval task is one rule (engine mayDecide), the same over REST and tRPC:
// its assignees — the users it names and the holders of a role it names — and admins. Four people on
// a real server (both databases): an admin, an assignee by name, an assignee by role only (no
// built-in role at all) and a non-assignee, who is refused and changes nothing.
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph } from '../testing/graphs.js';
import type { AppRouter } from './trpc/router.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PASSWORD = 'a long enough secret';
const PEOPLE = {
  admin: { username: 'olga', roles: ['admin'] },
  byUser: { username: 'uma', roles: ['clerk'] },
  byRole: { username: 'mara', roles: ['manager'] },
  nobody: { username: 'nick', roles: ['approver', 'sales'] },
} as const;
type Person = keyof typeof PEOPLE;

/** An approval assigned to uma by name and to the manager role; and one for directors only. */
const approvalGraph = (assignees: unknown) =>
  buildGraph([['start', 'start'], ['review', 'approval', { title: 'Go ahead?', assignees }], ['yes', 'end'], ['no', 'end']], ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no']);

interface Session {
  cookie: string;
  csrf: string;
}

async function setUp(server: TestServer) {
  const sessions = {} as Record<Person, Session>;
  for (const [person, { username, roles }] of Object.entries(PEOPLE) as [Person, (typeof PEOPLE)[Person]][]) {
    expect((await server.call('POST', '/api/v1/users', { body: { username, password: PASSWORD, roles } })).status).toBe(201);
    const login = await server.call('POST', '/api/v1/auth/login', { token: '', body: { username, password: PASSWORD } });
    expect(login.status).toBe(200);
    sessions[person] = { cookie: login.headers.get('set-cookie')!.split(';')[0], csrf: login.body.csrfToken };
  }
  for (const [slug, assignees] of [['expense', { users: ['uma'], roles: ['manager'] }], ['board', { roles: ['director'] }]] as const) {
    expect((await server.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph: approvalGraph(assignees) } })).status).toBe(201);
    expect((await server.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} })).status).toBe(201);
  }
  const start = async (slug: string) => (await server.call('POST', `/api/v1/workflows/${slug}/instances`, { body: { input: {} } })).body.id as string;
  const runs = { expense: [await start('expense'), await start('expense'), await start('expense')], board: await start('board') };
  await server.worker.drain();
  const task = (runId: string) => `${runId}:review:1`;
  return { sessions, runs, task };
}

/** A REST call as one of the four, by session cookie (with the CSRF token a change needs). */
const as = (server: TestServer, session: Session) => (method: string, url: string, body?: unknown) =>
  server.call(method, url, { cookie: session.cookie, headers: method === 'GET' ? {} : { 'x-csrf-token': session.csrf }, body });

const ids = (tasks: { id: string }[]) => tasks.map((task) => task.id).sort();
const decisionUrl = (taskId: string) => `/api/v1/approvals/${encodeURIComponent(taskId)}/decision`;

describe('the approvals rule over REST', () => {
  it('lists, reads and decides for the admin, the assignee by name and by role only; refuses the non-assignee', async () => {
    t = await startTestServer();
    const { sessions, runs, task } = await setUp(t);
    const [a, b, c] = runs.expense.map(task);
    const boardTask = task(runs.board);
    const rest = Object.fromEntries(Object.entries(sessions).map(([person, session]) => [person, as(t!, session)])) as Record<Person, ReturnType<typeof as>>;

    // The inbox ("mine", the default): what is assigned to them or their roles.
    expect(ids((await rest.byUser('GET', '/api/v1/approvals?status=pending')).body)).toEqual([a, b, c].sort());
    expect(ids((await rest.byRole('GET', '/api/v1/approvals')).body)).toEqual([a, b, c].sort());
    expect((await rest.nobody('GET', '/api/v1/approvals?status=pending')).body).toEqual([]);
    // An admin's own inbox holds only what is assigned to them; "all" holds every pending task.
    expect((await rest.admin('GET', '/api/v1/approvals?scope=mine')).body).toEqual([]);
    const all = (await rest.admin('GET', '/api/v1/approvals?status=pending&scope=all')).body;
    expect(ids(all)).toEqual([a, b, c, boardTask].sort());
    expect(all.every((entry: { assignedToYou: boolean }) => entry.assignedToYou === false)).toBe(true);
    // CAIRN_ADMIN_TOKEN, for automation: every task with scope=all.
    expect(ids((await t.call('GET', '/api/v1/approvals?status=pending&scope=all')).body)).toEqual([a, b, c, boardTask].sort());

    // scope=all is for admins only, with a 403 that says so.
    for (const person of ['byUser', 'byRole', 'nobody'] as const) {
      const refused = await rest[person]('GET', '/api/v1/approvals?status=pending&scope=all');
      expect(refused).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN', message: expect.stringContaining('only admins') } } });
    }

    // Reading one task.
    expect(await rest.byRole('GET', `/api/v1/approvals/${encodeURIComponent(a)}`)).toMatchObject({ status: 200, body: { id: a, assignedToYou: true } });
    expect(await rest.admin('GET', `/api/v1/approvals/${encodeURIComponent(boardTask)}`)).toMatchObject({ status: 200, body: { id: boardTask, assignedToYou: false } });
    expect(await rest.nobody('GET', `/api/v1/approvals/${encodeURIComponent(a)}`)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await rest.byUser('GET', `/api/v1/approvals/${encodeURIComponent(boardTask)}`)).toMatchObject({ status: 403 });

    // The non-assignee is refused, and nothing changes: the task pending, the run waiting, no history.
    const historyBefore = (await t.call('GET', `/api/v1/instances/${runs.expense[0]}/history`)).body.length;
    const refused = await rest.nobody('POST', decisionUrl(a), { decision: 'approve', comment: 'me too' });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN', message: expect.stringContaining('not an assignee') } } });
    expect(await rest.byUser('POST', decisionUrl(boardTask), { decision: 'approve' })).toMatchObject({ status: 403 });
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/approvals/${encodeURIComponent(a)}`)).body).toMatchObject({ status: 'pending', decidedBy: null });
    expect((await t.call('GET', `/api/v1/instances/${runs.expense[0]}`)).body.status).toBe('waiting');
    expect((await t.call('GET', `/api/v1/instances/${runs.expense[0]}/history`)).body).toHaveLength(historyBefore);

    // Each of the three decides one: by name, by role only, and the admin a task not assigned to them.
    expect(await rest.byUser('POST', decisionUrl(a), { decision: 'approve' })).toMatchObject({ status: 200, body: { status: 'approved', decidedBy: 'uma' } });
    expect(await rest.byRole('POST', decisionUrl(b), { decision: 'reject', comment: 'no budget' })).toMatchObject({ status: 200, body: { status: 'rejected', decidedBy: 'mara' } });
    expect(await rest.admin('POST', decisionUrl(boardTask), { decision: 'approve' })).toMatchObject({ status: 200, body: { status: 'approved', decidedBy: 'olga' } });
    await t.worker.drain();
    const status = async (runId: string) => (await t!.call('GET', `/api/v1/instances/${runId}`)).body.status;
    expect([await status(runs.expense[0]), await status(runs.expense[1]), await status(runs.board), await status(runs.expense[2])]).toEqual(['completed', 'completed', 'completed', 'waiting']);
    // A second decision is a conflict naming the first.
    expect(await rest.byRole('POST', decisionUrl(a), { decision: 'reject' })).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('by uma') } } });
    // Decided tasks are listed by the same rule.
    expect(ids((await rest.byRole('GET', '/api/v1/approvals?status=approved')).body)).toEqual([a]);
    expect(ids((await rest.admin('GET', '/api/v1/approvals?status=approved&scope=all')).body)).toEqual([a, boardTask].sort());
    expect((await rest.nobody('GET', '/api/v1/approvals?status=approved')).body).toEqual([]);
  });

  it('refuses bad and hostile listings with 400s, and unknown tasks with 404', async () => {
    t = await startTestServer();
    const { sessions, runs, task } = await setUp(t);
    const rest = as(t, sessions.nobody);
    for (const query of ['scope=ALL', 'scope=', 'scope=everyone', 'scope=all&scope=all', 'status=bogus', 'status=pending&status=approved']) {
      expect(await t.call('GET', `/api/v1/approvals?${query}`), query).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    }
    expect(await t.call('GET', '/api/v1/approvals?scope=all', { token: '' })).toMatchObject({ status: 401 });
    expect(await rest('GET', `/api/v1/approvals/${encodeURIComponent(`${runs.expense[0]}:nope:1`)}`)).toMatchObject({ status: 404 });
    expect(await rest('POST', decisionUrl('nope'), { decision: 'approve' })).toMatchObject({ status: 404 });
    // A non-assignee's bad decision body is refused before anything else; nothing is stored either way.
    expect(await rest('POST', decisionUrl(task(runs.expense[0])), { decision: 'maybe' })).toMatchObject({ status: 422 });
    expect((await t.call('GET', `/api/v1/approvals/${encodeURIComponent(task(runs.expense[0]))}`)).body.status).toBe('pending');

    // A custom role named like something every object inherits grants nothing more, and breaks nothing.
    expect((await t.call('POST', '/api/v1/users', { body: { username: 'connie', password: PASSWORD, roles: ['constructor'] } })).status).toBe(201);
    const login = await t.call('POST', '/api/v1/auth/login', { token: '', body: { username: 'connie', password: PASSWORD } });
    const connie = as(t, { cookie: login.headers.get('set-cookie')!.split(';')[0], csrf: login.body.csrfToken });
    expect(await connie('GET', '/api/v1/approvals')).toMatchObject({ status: 200, body: [] });
    expect(await connie('GET', '/api/v1/workflows')).toMatchObject({ status: 403 });
  });
});

function trpcAs(server: TestServer, session: Session) {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.server.url}/trpc`, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } })] });
}

const codeOf = (error: unknown) => (error instanceof TRPCClientError ? (error.data as { code?: string }).code : String(error));

describe('the approvals rule over tRPC', () => {
  it('gives the same answers as REST for the same four people', async () => {
    t = await startTestServer();
    const { sessions, runs, task } = await setUp(t);
    const [a, b, c] = runs.expense.map(task);
    const boardTask = task(runs.board);
    const trpc = Object.fromEntries(Object.entries(sessions).map(([person, session]) => [person, trpcAs(t!, session)])) as Record<Person, ReturnType<typeof trpcAs>>;

    expect(ids(await trpc.byUser.approvals.list.query({ status: 'pending' }))).toEqual([a, b, c].sort());
    expect(ids(await trpc.byRole.approvals.list.query({}))).toEqual([a, b, c].sort());
    expect(await trpc.nobody.approvals.list.query({ status: 'pending' })).toEqual([]);
    expect(await trpc.admin.approvals.list.query({ scope: 'mine' })).toEqual([]);
    expect(ids(await trpc.admin.approvals.list.query({ status: 'pending', scope: 'all' }))).toEqual([a, b, c, boardTask].sort());
    for (const person of ['byUser', 'byRole', 'nobody'] as const) {
      const refused = await trpc[person].approvals.list.query({ scope: 'all' }).catch((error: unknown) => error);
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect((refused as Error).message).toContain('only admins');
    }
    const hostile = await trpc.admin.approvals.list.query({ scope: 'everyone' as 'all' }).catch((error: unknown) => error);
    expect(codeOf(hostile)).toBe('BAD_REQUEST');

    expect(await trpc.byRole.approvals.get.query({ id: a })).toMatchObject({ id: a, assignedToYou: true });
    expect(codeOf(await trpc.nobody.approvals.get.query({ id: a }).catch((error: unknown) => error))).toBe('FORBIDDEN');

    const refused = await trpc.nobody.approvals.decide.mutate({ id: a, decision: 'approve' }).catch((error: unknown) => error);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(codeOf(await trpc.byRole.approvals.decide.mutate({ id: boardTask, decision: 'approve' }).catch((error: unknown) => error))).toBe('FORBIDDEN');
    await t.worker.drain();
    expect(await trpc.admin.approvals.get.query({ id: a })).toMatchObject({ status: 'pending', decidedBy: null });

    expect(await trpc.byUser.approvals.decide.mutate({ id: a, decision: 'approve' })).toMatchObject({ status: 'approved', decidedBy: 'uma' });
    expect(await trpc.byRole.approvals.decide.mutate({ id: b, decision: 'approve' })).toMatchObject({ status: 'approved', decidedBy: 'mara' });
    expect(await trpc.admin.approvals.decide.mutate({ id: boardTask, decision: 'reject' })).toMatchObject({ status: 'rejected', decidedBy: 'olga' });
    await t.worker.drain();
    expect(ids(await trpc.admin.approvals.list.query({ status: 'pending', scope: 'all' }))).toEqual([c]);
    expect(ids(await trpc.byRole.approvals.list.query({ status: 'pending' }))).toEqual([c]);
  });
});
