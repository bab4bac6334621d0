// Draft revisions against the real server (tRPC and REST, both databases): every save kept with who
// and when, pruned past 100, restore as a new save, taking theirs without losing yours, the conflict
// rule (a tab's own saves never conflict; another's save after your base does, named), the live
// feed of saves, and hostile input refused with nothing lost.
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import { ApiError } from '../../errors.js';
import { buildGraph } from '../../testing/graphs.js';
import { until } from '../../testing/harness.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../../testing/server-harness.js';
import type { AppRouter } from './router.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function clientFor(server: TestServer, token = ADMIN_TOKEN) {
  const authorization = `Bearer ${token}`;
  const url = `${server.server.url}/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, EventSource, eventSourceOptions: () => ({ fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization } }) }) }),
        false: httpBatchLink({ url, headers: { authorization } }),
      }),
    ],
  });
}

/** An editor token named `name`: its saves are recorded as by "token:<name>". */
async function tokenFor(server: TestServer, name: string): Promise<string> {
  const created = await server.call('POST', '/api/v1/tokens', { body: { name, role: 'editor' } });
  expect(created.status).toBe(201);
  return created.body.token as string;
}

/** A small graph whose end node's label tells the saves apart. */
const graphNamed = (label: string): Graph => {
  const graph = buildGraph([['start', 'start'], ['end', 'end']], ['start.next -> end']);
  graph.nodes[1].label = label;
  return graph;
};
const labelOf = (graph: Graph) => graph.nodes.find((node) => node.id === 'end')?.label;

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the call was refused').toBeInstanceOf(TRPCClientError);
  const { data, message } = error as TRPCClientError<AppRouter>;
  return { code: data?.code, cairn: data?.cairn as { code: string; details?: any } | undefined, message };
}

describe('draft revisions', () => {
  it('keeps every save with who and when, newest first, each viewable', async () => {
    t = await startTestServer();
    const admin = clientFor(t);
    const ada = clientFor(t, await tokenFor(t, 'ada'));
    await admin.workflows.saveDraft.mutate({ slug: 'flow', name: 'Flow', graph: graphNamed('one') });
    t.clock.advance('1m');
    await ada.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('two'), rev: 1 });
    t.clock.advance('1m');
    const rest = await t.call('PUT', '/api/v1/workflows/flow', { body: { graph: graphNamed('three'), rev: 2 } });
    expect(rest.status).toBe(200);

    const listed = await admin.workflows.revisions.query({ slug: 'flow' });
    expect(listed.draftRev).toBe(3);
    expect(listed.revisions).toMatchObject([
      { rev: 3, kind: 'save', savedBy: 'admin-token', savedAt: '2026-01-01T00:02:00.000Z' },
      { rev: 2, kind: 'save', savedBy: 'token:ada', savedAt: '2026-01-01T00:01:00.000Z' },
      { rev: 1, kind: 'create', savedBy: 'admin-token', savedAt: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(listed.revisions[0]).not.toHaveProperty('graph');
    expect(labelOf((await ada.workflows.revision.query({ slug: 'flow', rev: 2 })).graph)).toBe('two');
    const overRest = await t.call('GET', '/api/v1/workflows/flow/revisions/1');
    expect(overRest.status).toBe(200);
    expect(labelOf(overRest.body.graph)).toBe('one');
    expect((await t.call('GET', '/api/v1/workflows/flow/revisions')).body.revisions).toHaveLength(3);
  });

  it('keeps the newest 100 saves and says which are kept when asked for a pruned one', async () => {
    t = await startTestServer();
    const { workflows } = t.server.services;
    await workflows.saveDraft('busy', { graph: graphNamed('save 1') });
    for (let save = 2; save <= 105; save++) await workflows.saveDraft('busy', { graph: graphNamed(`save ${save}`), expectedRev: save - 1, by: 'ada' });

    const { draftRev, revisions } = await workflows.revisions('busy');
    expect(draftRev).toBe(105);
    expect(revisions.map((revision) => revision.rev)).toEqual(Array.from({ length: 100 }, (_, index) => 105 - index));
    expect(await t.count(`SELECT COUNT(*) AS n FROM draft_revisions`)).toBe(100);
    expect(labelOf((await workflows.revision('busy', 6)).graph)).toBe('save 6');
    const pruned = await refusal(clientFor(t).workflows.revision.query({ slug: 'busy', rev: 5 }));
    expect(pruned).toMatchObject({ code: 'NOT_FOUND', message: 'the draft of "busy" has no revision 5 (the newest 100 saves are kept: revisions 6–105)' });
    expect((await refusal(clientFor(t).workflows.restore.mutate({ slug: 'busy', rev: 5 }))).code).toBe('NOT_FOUND');
  });

  it('restoring is a new save on top, itself in the history and restorable away again', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await trpc.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('first') });
    await trpc.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('second'), rev: 1 });
    await trpc.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('third'), rev: 2 });

    const restored = await trpc.workflows.restore.mutate({ slug: 'flow', rev: 1, base: 3, clientId: 'tab-a' });
    expect(restored.workflow.draftRev).toBe(4);
    expect(labelOf(restored.graph)).toBe('first');
    expect(labelOf((await trpc.workflows.get.query({ slug: 'flow' })).draft)).toBe('first');
    const { revisions } = await trpc.workflows.revisions.query({ slug: 'flow' });
    expect(revisions.map((revision) => [revision.rev, revision.kind, revision.restoredFrom])).toEqual([[4, 'restore', 1], [3, 'save', null], [2, 'save', null], [1, 'create', null]]);

    // Undo in the editor is one more save of what was there; so is restoring over REST.
    const back = await t.call('POST', '/api/v1/workflows/flow/revisions/3/restore', { body: { base: 4 } });
    expect(back.status).toBe(200);
    expect(back.body.draftRev).toBe(5);
    expect(labelOf((await trpc.workflows.get.query({ slug: 'flow' })).draft)).toBe('third');
    // A restore based on a draft someone has moved on from is a conflict like any save.
    const stale = await t.call('POST', '/api/v1/workflows/flow/revisions/2/restore', { body: { base: 3 } });
    expect(stale.status).toBe(409);
    expect(labelOf((await trpc.workflows.get.query({ slug: 'flow' })).draft)).toBe('third');
  });
});

describe('the conflict rule', () => {
  it('a tab never conflicts with its own saves; another tab or person saving after your base does, named', async () => {
    t = await startTestServer();
    const ada = clientFor(t, await tokenFor(t, 'ada'));
    await ada.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('v1'), clientId: 'tab-a' });
    expect((await ada.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('a2'), rev: 1, clientId: 'tab-a' })).workflow.draftRev).toBe(2);
    // Tab A sends again from revision 1 (the answer to its last save was lost): its own, so no conflict.
    expect((await ada.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('a3'), rev: 1, clientId: 'tab-a' })).workflow.draftRev).toBe(3);

    // The same person in tab B, based on revision 2: tab A really saved after that.
    t.clock.advance('30s');
    const fromB = await refusal(ada.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('b'), rev: 2, clientId: 'tab-b' }));
    expect(fromB.code).toBe('CONFLICT');
    expect(fromB.message).toBe('the draft of "flow" was saved by you (token:ada) in another tab or window at 2026-01-01T00:00:00.000Z (revision 3) after revision 2, which yours is based on; it is now at revision 3');
    expect(fromB.cairn?.details).toMatchObject({ draftRev: 3, base: 2, theirs: { rev: 3, savedBy: 'token:ada', clientId: 'tab-a' } });
    expect((await ada.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('b'), rev: 3, clientId: 'tab-b' })).workflow.draftRev).toBe(4);
    // Now tab A is behind someone else's save: refused, whatever it saved before.
    expect((await refusal(ada.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('a5'), rev: 3, clientId: 'tab-a' }))).code).toBe('CONFLICT');

    // Without a tab id (REST, scripts) any newer save is a conflict: 409 naming the newer revision.
    const rest = await t.call('PUT', '/api/v1/workflows/flow', { body: { graph: graphNamed('x'), rev: 3 } });
    expect(rest.status).toBe(409);
    expect(rest.body.error.message).toContain('was saved by token:ada at 2026-01-01T00:00:30.000Z (revision 4) after revision 3');
    expect(rest.body.error.details).toMatchObject({ draftRev: 4, theirs: { rev: 4 } });
    // A base from the future is no base at all.
    expect((await t.call('PUT', '/api/v1/workflows/flow', { body: { graph: graphNamed('x'), rev: 9 } })).body.error.message).toBe('the draft of "flow" has no revision 9 yet (it is at revision 4)');
    expect(labelOf((await ada.workflows.get.query({ slug: 'flow' })).draft)).toBe('b');
    expect((await ada.workflows.revisions.query({ slug: 'flow' })).revisions).toHaveLength(4);
  });

  it('taking theirs keeps yours as a revision to restore; a newer save meanwhile makes it a conflict again', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await trpc.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('base'), clientId: 'tab-a' });
    await trpc.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('theirs'), rev: 1, clientId: 'tab-b' });

    const stale = await refusal(trpc.workflows.takeTheirs.mutate({ slug: 'flow', mine: graphNamed('mine'), theirsRev: 1, clientId: 'tab-a' }));
    expect(stale.code).toBe('CONFLICT');
    const taken = await trpc.workflows.takeTheirs.mutate({ slug: 'flow', mine: graphNamed('mine'), theirsRev: 2, clientId: 'tab-a' });
    expect(taken).toMatchObject({ workflow: { draftRev: 4 }, setAside: 3 });
    expect(labelOf(taken.graph)).toBe('theirs');
    const { revisions } = await trpc.workflows.revisions.query({ slug: 'flow' });
    expect(revisions.map((revision) => [revision.rev, revision.kind, revision.restoredFrom])).toEqual([[4, 'restore', 2], [3, 'set-aside', null], [2, 'save', null], [1, 'create', null]]);
    expect(labelOf((await trpc.workflows.revision.query({ slug: 'flow', rev: 3 })).graph)).toBe('mine');
    expect(labelOf((await trpc.workflows.restore.mutate({ slug: 'flow', rev: 3, base: 4, clientId: 'tab-a' })).graph)).toBe('mine');
  });
});

describe('live draft changes', () => {
  it('an open editor hears the save it is at, then every save of that draft, with who and which tab', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await trpc.workflows.saveDraft.mutate({ slug: 'flow', graph: graphNamed('one'), clientId: 'tab-a' });
    await trpc.workflows.saveDraft.mutate({ slug: 'other', graph: graphNamed('elsewhere') });
    const seen: { rev: number; savedBy: string | null; clientId: string | null; kind: string }[] = [];
    const subscription = trpc.workflows.onDraftChange.subscribe({ slug: 'flow' }, { onData: (change) => void seen.push(change), onError: (error) => void seen.push({ rev: -1, savedBy: error.message, clientId: null, kind: 'error' }) });
    try {
      await until(() => seen.length > 0, { what: 'the current save' });
      expect(seen).toMatchObject([{ rev: 1, kind: 'create', savedBy: 'admin-token', clientId: 'tab-a' }]);
      const ada = await tokenFor(t, 'ada');
      await t.call('PUT', '/api/v1/workflows/other', { token: ada, body: { graph: graphNamed('not this one') } });
      await t.call('PUT', '/api/v1/workflows/flow', { token: ada, body: { graph: graphNamed('two'), rev: 1 } });
      await trpc.workflows.restore.mutate({ slug: 'flow', rev: 1, base: 2, clientId: 'tab-b' });
      await until(() => seen.length >= 3, { what: 'two saves of flow' });
      expect(seen).toMatchObject([{ rev: 1 }, { rev: 2, kind: 'save', savedBy: 'token:ada', clientId: null }, { rev: 3, kind: 'restore', savedBy: 'admin-token', clientId: 'tab-b' }]);
    } finally {
      subscription.unsubscribe();
    }
    const approver = clientFor(t, (await t.call('POST', '/api/v1/tokens', { body: { role: 'approver' } })).body.token);
    const errors: string[] = [];
    const refused = approver.workflows.onDraftChange.subscribe({ slug: 'flow' }, { onError: (error) => void errors.push((error as TRPCClientError<AppRouter>).data?.code ?? error.message) });
    await until(() => errors.length > 0, { what: 'the refusal' });
    refused.unsubscribe();
    expect(errors[0]).toBe('FORBIDDEN');
  });
});

describe('hostile input', () => {
  it('unknown and foreign revisions, bad numbers and ids, invalid and huge graphs: clear refusals, nothing lost', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await trpc.workflows.saveDraft.mutate({ slug: 'mine', graph: graphNamed('kept') });
    await trpc.workflows.saveDraft.mutate({ slug: 'theirs', graph: graphNamed('t1') });
    for (let rev = 1; rev <= 3; rev++) await trpc.workflows.saveDraft.mutate({ slug: 'theirs', graph: graphNamed(`t${rev + 1}`), rev });
    const before = { draft: (await trpc.workflows.get.query({ slug: 'mine' })).draft, revisions: await trpc.workflows.revisions.query({ slug: 'mine' }) };

    expect(await refusal(trpc.workflows.revision.query({ slug: 'mine', rev: 999 }))).toMatchObject({ code: 'NOT_FOUND', message: 'the draft of "mine" has no revision 999 (the newest 100 saves are kept: revisions 1–1)' });
    // Revision 4 exists, but of another workflow: revisions are numbered per workflow.
    expect((await refusal(trpc.workflows.revision.query({ slug: 'mine', rev: 4 }))).code).toBe('NOT_FOUND');
    expect((await refusal(trpc.workflows.restore.mutate({ slug: 'mine', rev: 4 }))).code).toBe('NOT_FOUND');
    expect((await refusal(trpc.workflows.restore.mutate({ slug: 'nope', rev: 1 }))).message).toBe('no workflow "nope"');
    for (const rev of [0, -1, 1.5, 2 ** 40]) expect((await refusal(trpc.workflows.revision.query({ slug: 'mine', rev }))).code).toBe('BAD_REQUEST');
    expect((await t.call('GET', '/api/v1/workflows/mine/revisions/abc')).status).toBe(400);
    expect((await t.call('POST', '/api/v1/workflows/mine/revisions/1/restore', { body: { base: 'latest' } })).status).toBe(400);
    expect((await t.call('POST', '/api/v1/workflows/mine/revisions/1/restore', { body: [1] })).status).toBe(400);
    expect((await refusal(trpc.workflows.saveDraft.mutate({ slug: 'mine', graph: graphNamed('x'), rev: 1, clientId: '../../etc' }))).code).toBe('BAD_REQUEST');
    expect((await refusal(trpc.workflows.saveDraft.mutate({ slug: 'mine', graph: graphNamed('x'), rev: 1, clientId: 'x'.repeat(101) }))).code).toBe('BAD_REQUEST');

    // Setting yours aside takes a real graph: not a string, not half a graph, not 5 MB.
    const invalid = await refusal(trpc.workflows.takeTheirs.mutate({ slug: 'mine', mine: { format: 'cairn.graph/v1', nodes: 'all of them' }, theirsRev: 1 }));
    expect(invalid).toMatchObject({ code: 'UNPROCESSABLE_CONTENT' });
    expect(invalid.message).toMatch(/^your draft is not a cairn\.graph\/v\d graph: nodes: /);
    expect((await refusal(trpc.workflows.takeTheirs.mutate({ slug: 'mine', mine: 'DROP TABLE draft_revisions', theirsRev: 1 }))).code).toBe('UNPROCESSABLE_CONTENT');
    const huge = { ...graphNamed('huge'), nodes: Array.from({ length: 2_500 }, (_, index) => ({ id: `n${index}`, kind: 'log', position: { x: 0, y: 0 }, config: { text: 'x'.repeat(2_000) } })) };
    const tooBig = await t.server.services.workflows.takeTheirs('mine', { mine: huge, theirsRev: 1 }).catch((error: unknown) => error);
    expect(tooBig).toBeInstanceOf(ApiError);
    expect(tooBig).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/^your draft is 4\.\d MB, over the 4 MB limit of a draft$/) });
    // Over tRPC the request body's limit refuses it first.
    const overTrpc = await fetch(`${t.server.url}/trpc/workflows.takeTheirs`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ slug: 'mine', mine: huge, theirsRev: 1 }) });
    expect(overTrpc.status).toBe(413);

    // A kept revision that no longer reads (a damaged row) cannot be restored, and the draft stays.
    await t.server.prisma.$executeRawUnsafe(`UPDATE draft_revisions SET graph = '{"format": "cairn.graph/v1", "nodes": [' WHERE rev = 1 AND workflow_id = (SELECT id FROM workflows WHERE slug = 'theirs')`);
    const damaged = await refusal(trpc.workflows.restore.mutate({ slug: 'theirs', rev: 1, base: 4 }));
    expect(damaged).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', message: 'revision 1 of "theirs" is not readable JSON; it cannot be shown or restored' });
    expect(labelOf((await trpc.workflows.get.query({ slug: 'theirs' })).draft)).toBe('t4');
    expect((await trpc.workflows.revisions.query({ slug: 'theirs' })).draftRev).toBe(4);

    expect((await trpc.workflows.get.query({ slug: 'mine' })).draft).toEqual(before.draft);
    expect(await trpc.workflows.revisions.query({ slug: 'mine' })).toEqual(before.revisions);
  });
});
