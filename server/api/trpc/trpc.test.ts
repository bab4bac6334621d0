// tRPC against the real server: queries and mutations with the caller's permissions, and a
// subscription (SSE) that receives a run's status changes live.
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph } from '../../testing/graphs.js';
import { testDialect } from '../../testing/test-database.js';
import { until } from '../../testing/harness.js';
import { silentLogger } from '../../logger.js';
import { createServer } from '../../main.js';
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
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: () => ({ fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization } }) }),
        }),
        false: httpBatchLink({ url, headers: { authorization } }),
      }),
    ],
  });
}

const gated = buildGraph(
  [['start', 'start'], ['go', 'event', { event: 'go' }], ['end', 'end', { output: '{{ nodes.go }}' }]],
  ['start.next -> go', 'go.received -> end'],
);

describe('tRPC', () => {
  it('queries and mutations go through the same services and permissions', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await trpc.workflows.saveDraft.mutate({ slug: 'gated', graph: gated });
    expect(await trpc.workflows.publish.mutate({ slug: 'gated' })).toEqual({ version: 1, created: true, warnings: [expect.objectContaining({ code: 'NO_TIMEOUT', nodeId: 'go', field: 'timeout' })] });
    expect((await trpc.workflows.get.query({ slug: 'gated' })).versions).toEqual([expect.objectContaining({ version: 1, state: 'active' })]);
    expect((await trpc.actions.query()).map((action) => action.name)).toEqual(expect.arrayContaining(['transform', 'http.request', 'log']));
    const stale = await trpc.workflows.saveDraft.mutate({ slug: 'gated', graph: gated, rev: 0 }).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(TRPCClientError);
    expect((stale as TRPCClientError<AppRouter>).data).toMatchObject({ code: 'CONFLICT', cairn: { code: 'CONFLICT' } });

    const { token } = (await t.call('POST', '/api/v1/tokens', { body: { role: 'approver' } })).body;
    const approver = clientFor(t, token);
    const refused = await approver.workflows.list.query().catch((error: unknown) => error);
    expect((refused as TRPCClientError<AppRouter>).data?.code).toBe('FORBIDDEN');
    const anonymous = await clientFor(t, 'nope').workflows.list.query().catch((error: unknown) => error);
    expect((anonymous as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED');
  });

  it('a subscription client receives a run’s status changes live', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await trpc.workflows.saveDraft.mutate({ slug: 'gated', graph: gated });
    await trpc.workflows.publish.mutate({ slug: 'gated' });
    const run = await trpc.runs.start.mutate({ workflow: 'gated', input: {} });
    expect(run.status).toBe('waiting');

    const seen: string[] = [];
    const subscription = trpc.runs.onChange.subscribe(
      { id: run.id },
      { onData: (change) => void seen.push(change.status), onError: (error) => void seen.push(`error: ${error.message}`) },
    );
    try {
      // The current status arrives first, once the server is listening.
      await until(() => seen.length > 0, { what: 'the current status' });
      expect(seen).toEqual(['waiting']);
      await trpc.runs.signal.mutate({ id: run.id, name: 'go', data: 'now' });
      await until(() => seen.includes('completed'), { what: 'the completed status to arrive' });
      expect(seen).toEqual(['waiting', 'completed']);
      expect((await trpc.runs.get.query({ id: run.id })).output).toBe('now');
    } finally {
      subscription.unsubscribe();
    }
  });
});

// Many processes on one PostgreSQL database: an API process without a worker serves the pages
// while another process's worker moves the runs; its live updates come through NOTIFY.
describe.runIf(testDialect() === 'postgresql')('live updates across processes (PostgreSQL)', () => {
  it('an API process without a worker passes on the changes another process commits', async () => {
    t = await startTestServer();
    const apiOnly = await createServer({
      databaseUrl: t.databaseUrl, host: '127.0.0.1', port: 0, clock: t.clock, logger: silentLogger, adminToken: ADMIN_TOKEN, seed: false, worker: false,
    });
    try {
      const trpc = clientFor({ ...t, server: apiOnly });
      const approval = buildGraph(
        [['start', 'start'], ['ok', 'approval', { title: 'Go ahead?', assignees: { roles: ['admin'] } }], ['go', 'event', { event: 'go' }], ['end', 'end']],
        ['start.next -> ok', 'ok.approved -> go', 'go.received -> end'],
      );
      await trpc.workflows.saveDraft.mutate({ slug: 'approve-then-go', graph: approval });
      await trpc.workflows.publish.mutate({ slug: 'approve-then-go' });

      const seen: string[] = [];
      let inboxChanges = 0;
      const runs = trpc.runs.onChange.subscribe({}, { onData: (change) => void seen.push(change.status) });
      const inbox = trpc.approvals.onChange.subscribe(undefined, { onData: (change) => void (change.changed && inboxChanges++) });
      try {
        // Started on the API process (queued, pending); the other process's worker takes it and
        // stops at the approval: both the run's new status and the new task are heard.
        const run = await trpc.runs.start.mutate({ workflow: 'approve-then-go', input: {} });
        expect(run.status).toBe('pending');
        await until(() => seen.includes('waiting') && inboxChanges > 0, { what: 'the run waiting and the inbox changed, heard by the API process' });

        const [task] = await trpc.approvals.list.query({});
        inboxChanges = 0;
        const decided = await t.call('POST', `/api/v1/approvals/${encodeURIComponent(task.id)}/decision`, { body: { decision: 'approve' } });
        expect(decided.status).toBe(200);
        await until(() => inboxChanges > 0, { what: 'a decision made on the other process, heard by the API process' });

        await trpc.runs.signal.mutate({ id: run.id, name: 'go', data: null });
        await until(() => seen.includes('completed'), { what: 'the completed status, heard by the API process' });
        expect((await trpc.runs.get.query({ id: run.id })).status).toBe('completed');
      } finally {
        runs.unsubscribe();
        inbox.unsubscribe();
      }
    } finally {
      await apiOnly.close();
    }
  });
});

describe('workflow management', () => {
  it('rename, duplicate, and delete — refused while runs are in flight', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await trpc.workflows.saveDraft.mutate({ slug: 'gated', graph: gated });
    await trpc.workflows.publish.mutate({ slug: 'gated' });
    expect(await trpc.workflows.rename.mutate({ slug: 'gated', name: 'Gate keeper' })).toMatchObject({ slug: 'gated', name: 'Gate keeper' });
    expect(await trpc.workflows.duplicate.mutate({ slug: 'gated', newSlug: 'gated-2' })).toMatchObject({ slug: 'gated-2', name: 'Gate keeper (copy)', activeVersion: null });
    const run = await trpc.runs.start.mutate({ workflow: 'gated', input: {} });
    const refused = await trpc.workflows.remove.mutate({ slug: 'gated' }).catch((error: unknown) => error);
    expect((refused as TRPCClientError<AppRouter>).message).toContain('1 run(s) in flight');
    await trpc.runs.cancel.mutate({ id: run.id });
    await t.worker.drain();
    await trpc.workflows.remove.mutate({ slug: 'gated' });
    expect((await trpc.workflows.list.query()).map((workflow) => workflow.slug)).toEqual(['gated-2']);
  });
});

describe('monitoring queries', () => {
  it('counts runs per status and returns a run detail (its graph and history are read apart: run-page.test.ts)', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await trpc.workflows.saveDraft.mutate({ slug: 'gated', graph: gated });
    await trpc.workflows.publish.mutate({ slug: 'gated' });
    const first = await trpc.runs.start.mutate({ workflow: 'gated', input: { n: 1 } });
    await trpc.runs.start.mutate({ workflow: 'gated', input: { n: 2 } });
    await trpc.runs.signal.mutate({ id: first.id, name: 'go', data: 'done' });
    await t.worker.drain();
    expect(await trpc.runs.counts.query({ workflow: 'gated' })).toMatchObject({ waiting: 1, completed: 1, failed: 0 });
    const detail = await trpc.runs.detail.query({ id: first.id });
    expect(detail.run).toMatchObject({ id: first.id, status: 'completed', output: 'done' });
    expect(detail.outputs).toMatchObject({ go: 'done' });
  });
});

describe('batching', () => {
  it('a batch of many calls is served (the path names every procedure)', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    const results = await Promise.all(Array.from({ length: 12 }, () => trpc.approvals.list.query({ status: 'pending' })));
    expect(results).toHaveLength(12);
  });
});
