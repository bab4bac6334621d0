// tRPC runs.latestData: the evaluation root of a workflow's newest run, which the editor previews
// expressions against. Against the real server, with its permissions and hostile input.
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateExpression } from '../../../shared/expressions.js';
import { buildGraph } from '../../testing/graphs.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../../testing/server-harness.js';
import type { AppRouter } from './router.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const clientFor = (server: TestServer, token = ADMIN_TOKEN) =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })] });

const codeOf = (error: unknown) => (error instanceof TRPCClientError ? (error as TRPCClientError<AppRouter>).data?.code : String(error));

const gated = buildGraph(
  [['start', 'start'], ['go', 'event', { event: 'go' }], ['end', 'end', { output: '{{ nodes.go }}' }]],
  ['start.next -> go', 'go.received -> end'],
);

describe('runs.latestData', () => {
  it('is null before any run, then the newest run’s input, node outputs and instance', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await trpc.workflows.saveDraft.mutate({ slug: 'gated', graph: gated });
    expect(await trpc.runs.latestData.query({ workflow: 'gated' })).toBeNull();
    await trpc.workflows.publish.mutate({ slug: 'gated' });

    const first = await trpc.runs.start.mutate({ workflow: 'gated', input: { amount: 5 } });
    await trpc.runs.signal.mutate({ id: first.id, name: 'go', data: { status: 200 } });
    await t.worker.drain();
    const done = await trpc.runs.latestData.query({ workflow: 'gated' });
    expect(done).toMatchObject({
      runId: first.id,
      status: 'completed',
      root: { input: { amount: 5 }, nodes: { go: { status: 200 } }, instance: { id: first.id, workflow: 'gated', version: 1 } },
    });
    expect(new Date(done!.root.instance.startedAt).toISOString()).toBe(done!.root.instance.startedAt);
    // What the editor does with it: evaluate an expression against it.
    expect(await evaluateExpression('input.amount * 2 + nodes.go.status', done!.root)).toBe(210);

    const second = await trpc.runs.start.mutate({ workflow: 'gated', input: { amount: 7 } });
    await t.worker.drain();
    const newest = await trpc.runs.latestData.query({ workflow: 'gated' });
    expect(newest).toMatchObject({ runId: second.id, status: 'waiting', root: { input: { amount: 7 } } });
    expect(newest!.root.nodes).not.toHaveProperty('go');
  });

  it('refuses unknown workflows, bad input and callers who may not read runs', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    expect(codeOf(await trpc.runs.latestData.query({ workflow: 'nope' }).catch((error: unknown) => error))).toBe('NOT_FOUND');
    expect(codeOf(await trpc.runs.latestData.query({ workflow: "x' OR 1=1 --" }).catch((error: unknown) => error))).toBe('NOT_FOUND');
    for (const bad of [{ workflow: '' }, { workflow: 'x'.repeat(1_000) }, { workflow: 42 }, {}, null]) {
      const refused = await trpc.runs.latestData.query(bad as never).catch((error: unknown) => error);
      expect(codeOf(refused)).toBe('BAD_REQUEST');
    }
    const { token } = (await t.call('POST', '/api/v1/tokens', { body: { role: 'approver' } })).body;
    expect(codeOf(await clientFor(t, token).runs.latestData.query({ workflow: 'nope' }).catch((error: unknown) => error))).toBe('FORBIDDEN');
    expect(codeOf(await clientFor(t, 'not-a-token').runs.latestData.query({ workflow: 'nope' }).catch((error: unknown) => error))).toBe('UNAUTHORIZED');
  });
});
