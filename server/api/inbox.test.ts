// The inbox over tRPC on the real server (both databases): tabs by the one rule (Mine: named to me or
// claimed by me; My roles; Decided by me; All for admins), counted and paged on the server; claims
// seen by the others, refused while held, released by the holder or an admin, in the audit log; and
// several tasks decided with one comment, each its own decision, refusals reported per task. Hostile
// input is refused naming the field, and nothing is stored.
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph } from '../testing/graphs.js';
import { openDatabaseReader } from '../testing/database-reader.js';
import { until } from '../testing/harness.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/server-harness.js';
import type { AppRouter } from './trpc/router.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PASSWORD = 'a long enough secret';
const PEOPLE = { ann: ['manager'], bob: ['manager'], eve: ['editor'], root: ['admin'] } as const;
type Person = keyof typeof PEOPLE;

const approval = (assignees: Record<string, string[]>, extra: Record<string, unknown> = {}) =>
  buildGraph(
    [['start', 'start'], ['review', 'approval', { title: 'Task {{ input.n }}', assignees, ...extra }], ['yes', 'end'], ['no', 'end']],
    ['start.next -> review', 'review.approved -> yes', 'review.rejected -> no'],
  );

async function setUp(server: TestServer) {
  const sessions = {} as Record<Person, { cookie: string; csrf: string }>;
  for (const [username, roles] of Object.entries(PEOPLE)) {
    expect((await server.call('POST', '/api/v1/users', { body: { username, password: PASSWORD, roles } })).status).toBe(201);
    const login = await server.call('POST', '/api/v1/auth/login', { token: '', body: { username, password: PASSWORD } });
    sessions[username as Person] = { cookie: login.headers.get('set-cookie')!.split(';')[0], csrf: login.body.csrfToken };
  }
  const trpc = (person: Person) =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.server.url}/trpc`, headers: { cookie: sessions[person].cookie, 'x-csrf-token': sessions[person].csrf } })] });
  for (const [slug, graph] of [
    ['named', approval({ users: ['ann'] })],
    ['roled', approval({ roles: ['manager'] })],
    ['own', approval({ users: ['ann', 'bob'] }, { forbidSelfApproval: true, selfApprover: '{{ input.who }}' })],
  ] as const) {
    expect((await server.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph } })).status).toBe(201);
    expect((await server.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} })).status).toBe(201);
  }
  /** `about`: the person the run is about (the own workflow's self-approver, who may not decide it). */
  const start = async (slug: string, n: number, about?: Person) => {
    const started = await server.call('POST', `/api/v1/workflows/${slug}/instances`, { body: { input: { n, ...(about ? { who: about } : {}) } } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    server.clock.advance(1_000); // distinct arrival times, so the order is known
    return `${started.body.id}:review:1`;
  };
  return { trpc, start };
}

/** A tRPC refusal's code and words (an input's zod issues arrive as their JSON: their messages are read out). */
function refusal(error: unknown) {
  if (!(error instanceof TRPCClientError)) return { code: 'none', message: String(error) };
  const message = error.message.startsWith('[') ? (JSON.parse(error.message) as { message: string }[]).map((issue) => issue.message).join('; ') : error.message;
  return { code: (error.data as { code: string }).code, message };
}
const titles = (page: { tasks: { title: string }[] }) => page.tasks.map((task) => task.title);

describe('the inbox', () => {
  it('tabs, counts and server-side pages follow the one rule; claims are shared, exclusive and audited', async () => {
    t = await startTestServer();
    const { trpc, start } = await setUp(t);
    const named = [await start('named', 1), await start('named', 2), await start('named', 3)];
    const roled = [await start('roled', 4), await start('roled', 5)];
    const own = await start('own', 6, 'ann'); // about ann: never hers to decide
    await t.worker.drain();
    const ann = trpc('ann');
    const bob = trpc('bob');

    expect(await ann.inbox.counts.query()).toEqual({ mine: 3, roles: 2 });
    expect(await bob.inbox.counts.query()).toEqual({ mine: 1, roles: 2 });
    expect(await trpc('root').inbox.counts.query()).toEqual({ mine: 0, roles: 0, all: 6 });
    const first = await ann.inbox.page.query({ tab: 'mine', limit: 2 });
    expect(first).toMatchObject({ total: 3, offset: 0, limit: 2 });
    expect(titles(first)).toEqual(['Task 1', 'Task 2']);
    expect(first.tasks.map((task) => task.id)).toEqual(named.slice(0, 2));
    expect(titles(await ann.inbox.page.query({ tab: 'mine', limit: 2, offset: 2 }))).toEqual(['Task 3']);
    expect(titles(await ann.inbox.page.query({ tab: 'roles' }))).toEqual(['Task 4', 'Task 5']);
    expect(titles(await bob.inbox.page.query({ tab: 'mine' }))).toEqual(['Task 6']);
    expect(refusal(await ann.inbox.page.query({ tab: 'all' }).catch((error: unknown) => error))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('only admins') });
    expect((await trpc('root').inbox.page.query({ tab: 'all' })).total).toBe(6);
    expect((await trpc('eve').inbox.page.query({ tab: 'mine' })).total).toBe(0);

    // bob claims a role task: it moves to his Mine, ann sees who holds it, and only bob or an admin releases it.
    expect(await bob.inbox.claim.mutate({ id: roled[0] })).toMatchObject({ claimedBy: 'bob' });
    expect(await bob.inbox.claim.mutate({ id: roled[0] })).toMatchObject({ claimedBy: 'bob' }); // again: still his
    expect(titles(await bob.inbox.page.query({ tab: 'mine' }))).toEqual(['Task 4', 'Task 6']);
    expect(titles(await bob.inbox.page.query({ tab: 'roles' }))).toEqual(['Task 5']);
    expect((await ann.inbox.page.query({ tab: 'roles' })).tasks[0]).toMatchObject({ title: 'Task 4', claimedBy: 'bob', claimedAt: expect.any(String) });
    expect(refusal(await ann.inbox.claim.mutate({ id: roled[0] }).catch((error: unknown) => error))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('bob has been handling approval') });
    expect(refusal(await ann.inbox.unclaim.mutate({ id: roled[0] }).catch((error: unknown) => error))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('only they or an admin') });
    expect(refusal(await trpc('eve').inbox.claim.mutate({ id: roled[1] }).catch((error: unknown) => error))).toMatchObject({ code: 'FORBIDDEN' });
    expect(refusal(await ann.inbox.claim.mutate({ id: own }).catch((error: unknown) => error))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('self-approval') });
    expect(refusal(await ann.inbox.claim.mutate({ id: 'no:such:1' }).catch((error: unknown) => error))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await trpc('root').inbox.unclaim.mutate({ id: roled[0] })).toEqual({ claimedBy: null, claimedAt: null });
    expect(refusal(await bob.inbox.unclaim.mutate({ id: roled[0] }).catch((error: unknown) => error))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is not claimed') });
    expect(await ann.inbox.claim.mutate({ id: roled[0] })).toMatchObject({ claimedBy: 'ann' });
    expect(await bob.inbox.claimOf.query({ id: roled[0] })).toMatchObject({ claimedBy: 'ann', claimedAt: expect.any(String) });
    expect(await bob.inbox.claimOf.query({ id: roled[1] })).toEqual({ claimedBy: null, claimedAt: null });
    expect(refusal(await trpc('eve').inbox.claimOf.query({ id: roled[0] }).catch((error: unknown) => error))).toMatchObject({ code: 'FORBIDDEN' });
    const reader = await openDatabaseReader(t.databaseUrl);
    try {
      expect(await reader.rows("SELECT kind, actor FROM audit_log WHERE kind IN ('claimed', 'unclaimed') ORDER BY seq")).toEqual([
        { kind: 'claimed', actor: 'bob' },
        { kind: 'unclaimed', actor: 'root' },
        { kind: 'claimed', actor: 'ann' },
      ]);
    } finally {
      await reader.close();
    }
    // The claims are links of the one chain: it still verifies.
    expect((await t.call('GET', '/api/v1/audit/verify')).body).toMatchObject({ ok: true });
  });

  it('decides several tasks with one comment, each on its own, and reports each refusal', async () => {
    t = await startTestServer();
    const { trpc, start } = await setUp(t);
    const named = [await start('named', 1), await start('named', 2)];
    const roled = await start('roled', 3);
    const own = await start('own', 4, 'ann');
    await t.worker.drain();
    const ann = trpc('ann');
    const outcome = await ann.inbox.decideMany.mutate({ ids: [...named, roled, own, 'no:such:1'], decision: 'approve', comment: 'batch of Monday' });
    expect(outcome).toMatchObject({ decided: 3, refused: 2 });
    expect(outcome.results).toEqual([
      { id: named[0], ok: true, status: 'approved', progress: '1 of 1 approved' },
      { id: named[1], ok: true, status: 'approved', progress: '1 of 1 approved' },
      { id: roled, ok: true, status: 'approved', progress: '1 of 1 approved' },
      { id: own, ok: false, code: 'FORBIDDEN', message: expect.stringContaining('self-approval is forbidden') },
      { id: 'no:such:1', ok: false, code: 'NOT_FOUND', message: 'no approval task with id "no:such:1"' },
    ]);
    // A second round: every one is refused as already decided, and nothing changes.
    const again = await ann.inbox.decideMany.mutate({ ids: named, decision: 'reject' });
    expect(again.results.map((result) => result.ok ? 'ok' : result.code)).toEqual(['CONFLICT', 'CONFLICT']);
    await t.worker.drain();
    const decided = await ann.inbox.page.query({ tab: 'decided' });
    expect(decided.total).toBe(3);
    expect(decided.tasks.map((task) => task.status)).toEqual(['approved', 'approved', 'approved']);
    expect(await ann.inbox.counts.query()).toEqual({ mine: 0, roles: 0 });
    const reader = await openDatabaseReader(t.databaseUrl);
    try {
      const entries = await reader.rows<{ task_id: string; data: string }>("SELECT task_id, data FROM audit_log WHERE kind = 'decided' ORDER BY seq");
      expect(entries.map((entry) => entry.task_id)).toEqual([...named, roled]);
      for (const entry of entries) expect(JSON.parse(entry.data)).toMatchObject({ decision: 'approved', comment: 'batch of Monday' });
      expect(await reader.count("SELECT COUNT(*) FROM instances WHERE status = 'completed'")).toBe(3);
    } finally {
      await reader.close();
    }
  });

  it('a claim and its release reach open inboxes at once (the approvals subscription)', async () => {
    t = await startTestServer();
    const { trpc, start } = await setUp(t);
    const task = await start('roled', 1);
    await t.worker.drain();
    const url = `${t.server.url}/trpc`;
    const listening = createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url, EventSource, eventSourceOptions: () => ({ fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${ADMIN_TOKEN}` } }) }) }),
          false: httpBatchLink({ url }),
        }),
      ],
    });
    let changes = 0;
    let started = false;
    const inbox = listening.approvals.onChange.subscribe(undefined, { onData: (change) => void (change.changed ? changes++ : (started = true)) });
    try {
      await until(() => started, { what: 'the inbox subscription to start' });
      await trpc('bob').inbox.claim.mutate({ id: task });
      await until(() => changes > 0, { what: 'the inbox to hear of the claim' });
      const before = changes;
      await trpc('bob').inbox.unclaim.mutate({ id: task });
      await until(() => changes > before, { what: 'the inbox to hear of the release' });
    } finally {
      inbox.unsubscribe();
    }
  });

  it('refuses hostile input naming the field, and stores nothing', async () => {
    t = await startTestServer();
    const { trpc, start } = await setUp(t);
    const task = await start('named', 1);
    await t.worker.drain();
    const ann = trpc('ann');
    const bad: [string, () => Promise<unknown>, string][] = [
      ['tab', () => ann.inbox.page.query({ tab: 'nope' as 'mine' }), 'tab must be one of mine, roles, decided, all'],
      ['limit 0', () => ann.inbox.page.query({ tab: 'mine', limit: 0 }), 'limit must be at least 1'],
      ['limit 101', () => ann.inbox.page.query({ tab: 'mine', limit: 101 }), 'limit is at most 100'],
      ['limit text', () => ann.inbox.page.query({ tab: 'mine', limit: '5' as unknown as number }), 'limit must be a whole number'],
      ['offset', () => ann.inbox.page.query({ tab: 'mine', offset: -1 }), 'offset must be 0 or more'],
      ['offset fraction', () => ann.inbox.page.query({ tab: 'mine', offset: 1.5 }), 'offset must be a whole number'],
      ['no ids', () => ann.inbox.decideMany.mutate({ ids: [], decision: 'approve' }), 'choose at least one task'],
      ['too many', () => ann.inbox.decideMany.mutate({ ids: Array.from({ length: 101 }, (_, i) => `t${i}`), decision: 'approve' }), 'at most 100 tasks at once'],
      ['twice', () => ann.inbox.decideMany.mutate({ ids: [task, task], decision: 'approve' }), 'a task is listed twice'],
      ['decision', () => ann.inbox.decideMany.mutate({ ids: [task], decision: 'maybe' as 'approve' }), 'decision must be "approve" or "reject"'],
      ['comment', () => ann.inbox.decideMany.mutate({ ids: [task], decision: 'approve', comment: 'x'.repeat(10_001) }), 'comment is at most 10,000 characters'],
      ['claim id', () => ann.inbox.claim.mutate({ id: 'x'.repeat(301) }), 'a task id is at most 300 characters'],
    ];
    for (const [what, attempt, message] of bad) {
      const error = refusal(await attempt().then(() => 'accepted', (caught: unknown) => caught));
      expect(error.message, what).toContain(message);
      expect(['BAD_REQUEST', 'UNPROCESSABLE_CONTENT'], what).toContain(error.code);
    }
    expect((await ann.inbox.page.query({ tab: 'mine' })).tasks).toMatchObject([{ id: task, status: 'pending', decisions: [], claimedBy: null }]);
  });
});
