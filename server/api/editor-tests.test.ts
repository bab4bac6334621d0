// The Tests panel's server side over tRPC on a real server (both databases): a real run with an AI
// answer (a fake provider on 127.0.0.1), an approval and a signal saved as a scenario passes when run
// again and fails once the graph takes another path; "run to here" shows each node's input and
// output up to the node and nothing after it. Hostile input is refused naming the field.
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../testing/fake-openai.js';
import { until } from '../testing/harness.js';
import { reviewedOrder, reviewedOrderWithCheck, transformLine } from '../testing/scenario-graphs.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/server-harness.js';
import type { AppRouter } from './trpc/router.js';

let t: TestServer | undefined;
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await t?.close();
  await fake?.close();
  t = fake = undefined;
});

const clientFor = (server: TestServer, token = ADMIN_TOKEN) =>
  createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })] });

async function refusal(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

/** A real run of the reviewed order: the model answers, the manager approves, `paid` arrives. */
async function realRun(server: TestServer): Promise<string> {
  expect((await server.call('PUT', '/api/v1/workflows/orders', { body: { name: 'Orders', graph: reviewedOrder() } })).status).toBeLessThan(300);
  expect((await server.call('POST', '/api/v1/workflows/orders/publish', { body: {} })).status).toBe(201);
  const id = (await server.call('POST', '/api/v1/workflows/orders/instances', { body: { input: { text: 'invoice 42' } } })).body.id as string;
  const waitsAt = async (node: string) => ((await server.call('GET', `/api/v1/instances/${id}`)).body.waitingOn ?? []).some((wait: { nodeId: string }) => wait.nodeId === node);
  await until(() => waitsAt('review'), { what: 'the approval' });
  const [task] = (await server.call('GET', '/api/v1/approvals?status=pending&scope=all')).body.approvals ?? (await server.call('GET', '/api/v1/approvals?status=pending&scope=all')).body;
  expect((await server.call('POST', `/api/v1/approvals/${task.id}/decision`, { body: { decision: 'approve', comment: 'fine' } })).status).toBeLessThan(300);
  await until(() => waitsAt('paid'), { what: 'the paid event' });
  expect((await server.call('POST', `/api/v1/instances/${id}/signals/paid`, { body: { data: { amount: 42 } } })).status).toBe(202);
  await until(async () => (await server.call('GET', `/api/v1/instances/${id}`)).body.status === 'completed', { what: 'the run to complete' });
  return id;
}

describe('the Tests panel over tRPC', () => {
  it('saves a real run (AI answer, approval, signal) as a scenario that passes, and fails once the path differs', async () => {
    fake = await startFakeOpenAI([{ content: '{"category":"invoice"}' }]);
    t = await startTestServer({ ai: { baseURL: fake.baseURL, models: { default: 'gpt-4o-mini' } } });
    const runId = await realRun(t);
    const trpc = clientFor(t);

    const saved = await trpc.tests.fromRun.mutate({ runId, name: 'paid invoice' });
    expect(saved.workflow).toBe('orders');
    const steps = saved.scenario.steps as Record<string, unknown>[];
    expect(steps).toEqual(expect.arrayContaining([
      { ai: 'classify', sequence: [{ raw: '{"category":"invoice"}' }] },
      expect.objectContaining({ decide: 'review', decision: 'approve', comment: 'fine' }),
      { signal: 'paid', data: { amount: 42 } },
    ]));
    expect(saved.scenario.expect).toMatchObject({ status: 'completed', path: ['start', 'classify', 'review', 'paid', 'done'], output: { category: 'invoice', amount: 42 } });

    const passing = await trpc.tests.run.mutate({ slug: 'orders' });
    expect(passing.results.map((result) => [result.name, result.passed, result.failures])).toEqual([['paid invoice', true, []]]);
    expect(fake.requests.length).toBe(1);

    expect((await t.call('PUT', '/api/v1/workflows/orders', { body: { name: 'Orders', graph: reviewedOrderWithCheck() } })).status).toBeLessThan(300);
    const failing = await trpc.tests.run.mutate({ slug: 'orders' });
    expect(failing.failed).toBe(1);
    expect(failing.results[0].failures.join('\n')).toMatch(/path/);
    expect(failing.results[0].path).toContain('check');

    // The same name again is refused; so are unknown runs and bad names, and nothing is added.
    expect((await refusal(trpc.tests.fromRun.mutate({ runId, name: 'paid invoice' }))).message).toMatch(/already has a scenario named "paid invoice"/);
    expect((await refusal(trpc.tests.fromRun.mutate({ runId: 'nope', name: 'x' }))).data?.code).toBe('NOT_FOUND');
    expect((await refusal(trpc.tests.fromRun.mutate({ runId, name: '   ' }))).message).toMatch(/needs a name/);
    expect((await refusal(trpc.tests.save.mutate({ slug: 'orders', name: 'bad', scenario: { steps: [{ teleport: 'done' }] } }))).message).toMatch(/unknown step \("teleport"\)/);
    expect((await trpc.tests.list.query({ slug: 'orders' })).scenarios.map((scenario) => scenario.name)).toEqual(['paid invoice']);
  });

  it('runs the draft to a node: each node up to it with its input and output, nothing after it', async () => {
    t = await startTestServer();
    expect((await t.call('PUT', '/api/v1/workflows/line', { body: { name: 'Line', graph: transformLine() } })).status).toBeLessThan(300);
    const trpc = clientFor(t);
    const result = await trpc.tests.runToHere.mutate({ slug: 'line', graph: transformLine(), untilNode: 'double', input: { amount: 21 } });
    expect(result).toMatchObject({ reached: true, status: 'completed', path: ['start', 'double'], error: null });
    expect(result.nodes.double).toMatchObject({ input: { action: 'transform', input: { expression: 'amount * 2', data: { amount: 21 } } }, output: 42, port: 'ok', state: 'done' });
    expect(result.nodes.label).toBeUndefined();

    const stubbed = await trpc.tests.runToHere.mutate({ slug: 'line', graph: transformLine(), untilNode: 'label', input: { amount: 1 }, stubResult: { value: 7 } });
    expect(stubbed.nodes.label.output).toBe(7);

    const viewer = (await t.call('POST', '/api/v1/tokens', { body: { name: 'viewer', role: 'approver' } })).body.token as string;
    expect((await refusal(clientFor(t, viewer).tests.runToHere.mutate({ slug: 'line', graph: transformLine(), untilNode: 'double' }))).data?.code).toBe('FORBIDDEN');
    expect((await refusal(trpc.tests.runToHere.mutate({ slug: 'line', graph: transformLine(), untilNode: 'ghost' }))).message).toMatch(/no node "ghost"/);
    expect((await refusal(trpc.tests.runToHere.mutate({ slug: 'line', graph: { format: 'cairn.graph/v1', nodes: [], edges: [] }, untilNode: 'double' }))).message).toMatch(/problem/);
    expect((await refusal(trpc.tests.runToHere.mutate({ slug: 'nowhere', graph: transformLine(), untilNode: 'double' }))).data?.code).toBe('NOT_FOUND');
    // Over the request limit (256 KB), the transport refuses it before the service sees it.
    await refusal(trpc.tests.runToHere.mutate({ slug: 'line', graph: transformLine(), untilNode: 'double', input: { blob: 'x'.repeat(300 * 1024) } }));
    // Nothing of a trial reaches the real database.
    expect(await t.count('SELECT COUNT(*) AS n FROM instances')).toBe(0);
  });
});
