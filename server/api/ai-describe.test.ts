// Describing a workflow on a real server (both databases) against a fake OpenAI-compatible provider
// on 127.0.0.1: each of seed 000's four example descriptions becomes a valid draft (never published)
// with one review line per node — the order fulfilment one after two repair turns that send the
// validator's problems back; an instruction proposes a change inside what it concerns (nodes the
// reply touches beyond that are refused and sent back); hostile input — a 1 MB description, an
// answer that is no graph, a graph of 10,000 nodes — is refused, nothing saved.
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { validateGraph } from '../../shared/validate.js';
import { SEED_DESCRIPTIONS, SEED_GRAPHS, expenseGraph, orderFirstTry, orderSecondTry } from '../testing/described-workflows.js';
import { startFakeOpenAI, wrap, type FakeAnswer, type FakeOpenAI } from '../testing/fake-openai.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/server-harness.js';
import type { AppRouter } from './trpc/router.js';

let t: TestServer | undefined;
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await t?.close();
  await fake?.close();
  t = fake = undefined;
});

const clientFor = (server: TestServer, token = ADMIN_TOKEN) => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.server.url}/trpc`, headers: { authorization: `Bearer ${token}` }, maxURLLength: 2_000 })] });
const json = (value: unknown): FakeAnswer => ({ content: JSON.stringify(value) });

async function refusal(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

async function started(script: FakeAnswer[]) {
  fake = await startFakeOpenAI(script);
  t = await startTestServer({ ai: { baseURL: fake.baseURL, models: { default: 'gpt-4o-mini' } } });
  return clientFor(t);
}

/** Inserting a reminder after the reimbursement: two new nodes in place of one edge. */
const reminderChange = {
  nodes: [
    { id: 'wait_2d', kind: 'wait', label: 'Wait 2 days', config: { duration: '2d' } },
    { id: 'remind', kind: 'step', label: 'Send a reminder', config: { action: 'http.request', input: { method: 'POST', url: 'https://mail.example.com/send', body: { template: 'reminder' } } } },
  ],
  removeEdges: ['reimburse-ok-done'],
  edges: [
    { id: 'e-r1', source: 'reimburse', sourcePort: 'ok', target: 'wait_2d' },
    { id: 'e-r2', source: 'wait_2d', sourcePort: 'next', target: 'remind' },
    { id: 'e-r3', source: 'remind', sourcePort: 'ok', target: 'done' },
  ],
};

describe('describing a workflow', () => {
  it("turns each of seed 000's four descriptions into a valid draft, one after two repair turns", async () => {
    const trpc = await started([
      { content: wrap.fenced(JSON.stringify({ name: 'Subscription lifecycle', graph: SEED_GRAPHS.subscription })) },
      { content: `Here is the workflow:\n${JSON.stringify({ name: 'Expense approval', graph: SEED_GRAPHS.expense })}\nIt escalates after 7 days.` },
      json({ name: 'Payment retry', graph: SEED_GRAPHS.payment }),
      json({ name: 'Order fulfilment', graph: orderFirstTry }),
      json({ name: 'Order fulfilment', graph: orderSecondTry }),
      json({ name: 'Order fulfilment', graph: SEED_GRAPHS.order }),
    ]);
    expect(await trpc.ai.describe.status.query()).toEqual({ configured: true, model: 'default' });
    const results = [];
    for (const key of ['subscription', 'expense', 'payment', 'order'] as const) results.push(await trpc.ai.describe.create.mutate({ description: SEED_DESCRIPTIONS[key] }));
    expect(results.map((result) => [result.slug, result.repairs])).toEqual([['subscription-lifecycle', 0], ['expense-approval', 0], ['payment-retry', 0], ['order-fulfilment', 2]]);

    for (const [index, key] of (['subscription', 'expense', 'payment', 'order'] as const).entries()) {
      const result = results[index];
      const stored = await t!.call('GET', `/api/v1/workflows/${result.slug}`);
      expect(stored.body.versions).toEqual([]);
      expect(validateGraph(stored.body.draft).ok).toBe(true);
      expect(stored.body.draft.nodes.map((node: { id: string }) => node.id).sort()).toEqual(SEED_GRAPHS[key].nodes.map((node) => node.id).sort());
      // Laid out: no two nodes on one spot.
      expect(new Set(stored.body.draft.nodes.map((node: { position: { x: number; y: number } }) => `${node.position.x},${node.position.y}`)).size).toBe(SEED_GRAPHS[key].nodes.length);
      expect(result.lines).toHaveLength(SEED_GRAPHS[key].nodes.length);
    }
    expect(results[1].lines.map((line) => line.text)).toEqual([
      'Expense submitted (start): the run starts here',
      'Notify the manager (notify_manager): runs http.request',
      'Manager approval (approval): asks for approval: Approve {{ input.amount }} for {{ input.employee }}?, times out after 7d',
      'Process reimbursement (reimburse): runs http.request',
      'Notify employee (notify_employee): runs http.request',
      'Escalate to director (escalate): asks for approval: Overdue: approve {{ input.amount }} for {{ input.employee }}?',
      'Done (done): the run completes',
    ]);
    // The model was given the graph's JSON Schema, the node kinds and the actions; each repair turn every problem.
    const system = fake!.requests[0].body.messages[0].content as string;
    expect(system).toContain('"sourcePort"');
    expect(system).toContain('"kind":"approval"');
    expect(system).toContain('"name":"http.request"');
    const firstRepair = JSON.stringify(fake!.requests[4].body.messages);
    expect(firstRepair).toContain('which a step node does not have');
    expect(firstRepair).toContain('no action named \\"inventory.reserve\\" is registered');
    expect(JSON.stringify(fake!.requests[5].body.messages)).toContain('\\"24 hours\\" is not a duration');
  });

  it('proposes a change inside what the instruction concerns, sending back a reply that touches more', async () => {
    const meddling = { ...reminderChange, nodes: [...reminderChange.nodes, { id: 'approval', kind: 'approval', label: 'Manager approval', config: { title: 'Approve it?', assignees: { roles: ['manager'] }, timeout: '7d' } }] };
    const trpc = await started([json(expenseGraph), json(meddling), json(reminderChange)]);
    const instruction = 'add a reminder 2 days after the reimbursement';

    // A whole graph for an answer is sent back; so is a change to the approval nobody asked about.
    const proposal = await trpc.ai.describe.change.mutate({ graph: expenseGraph, instruction, focus: [] });
    expect(proposal).toMatchObject({ added: ['wait_2d', 'remind'], changed: [], removed: [], repairs: 2 });
    expect(JSON.stringify(fake!.requests[1].body.messages)).toContain('the answer is a whole graph');
    expect(JSON.stringify(fake!.requests[2].body.messages)).toContain('node \\"approval\\" is not what the instruction is about');
    expect(validateGraph(proposal.graph).ok).toBe(true);
    // Everything else is as it was, positions included; nothing was saved.
    const untouched = (id: string) => proposal.graph.nodes.find((node) => node.id === id);
    for (const node of expenseGraph.nodes) expect(untouched(node.id)).toEqual(node);
    expect(proposal.graph.edges.some((edge) => edge.id === 'reimburse-ok-done')).toBe(false);
    expect(proposal.lines.map((line) => line.text)).toEqual(['Wait 2 days (wait_2d): waits 2d', 'Send a reminder (remind): runs http.request']);
    expect((await t!.call('GET', '/api/v1/workflows')).body).toEqual([]);
  });

  it('refuses a 1 MB description, an answer that is no graph and a graph of 10,000 nodes, saving nothing', async () => {
    const huge = { format: 'cairn.graph/v2', nodes: Array.from({ length: 10_000 }, (_, index) => ({ id: `n${index}`, kind: 'end' })), edges: [] };
    const trpc = await started([
      { content: 'I am sorry, I cannot design workflows.' },
      json({ recipe: 'pancakes' }),
      json([1, 2, 3]),
      { content: 'Still no.' },
      json({ graph: huge }),
      json({ graph: huge }),
      json({ graph: huge }),
      json({ graph: huge }),
    ]);
    // 1 MB of text is over the request limit (413); 20,001 characters over the field's.
    const megabyte = await t!.call('POST', '/trpc/ai.describe.create', { body: { description: 'x'.repeat(1024 * 1024) } });
    expect(megabyte.status).toBe(413);
    expect(megabyte.body.error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'the request body is over the 256 KB limit' });
    expect((await refusal(trpc.ai.describe.create.mutate({ description: 'x'.repeat(20_001) }))).message).toContain('a description is at most 20,000 characters');
    expect((await refusal(trpc.ai.describe.create.mutate({ description: '   ' }))).message).toContain('describe the workflow in a sentence or more');
    expect(fake!.requests).toHaveLength(0);

    const notAGraph = await refusal(trpc.ai.describe.create.mutate({ description: 'Approve expenses' }));
    expect(notAGraph.data?.httpStatus).toBe(422);
    expect(notAGraph.message).toContain("the model's answer was still not a valid workflow after 3 repair turn(s)");
    expect(JSON.stringify(fake!.requests[1].body.messages)).toContain('the answer is not JSON');
    expect(JSON.stringify(fake!.requests[2].body.messages)).toContain('the answer has no \\"graph\\"');

    const tooBig = await refusal(trpc.ai.describe.create.mutate({ description: 'Ten thousand steps' }));
    expect(tooBig.message).toContain('the graph has 10000 nodes; a described workflow has at most 200');
    expect(fake!.requests).toHaveLength(8);
    expect((await t!.call('GET', '/api/v1/workflows')).body).toEqual([]);
  });

  it('says how to configure a model when there is none', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    const status = await trpc.ai.describe.status.query();
    expect(status).toEqual({ configured: false, hint: expect.stringContaining('Set CAIRN_AI_BASE_URL') });
    expect((await refusal(trpc.ai.describe.create.mutate({ description: 'Approve expenses' }))).message).toContain('No model is configured. Set CAIRN_AI_BASE_URL');
  });

  it('is for those who may edit workflows: an approver is refused (403), nothing is asked or saved', async () => {
    const trpc = await started([]);
    await t!.call('PUT', '/api/v1/workflows/expense', { body: { name: 'Expense', graph: expenseGraph } });
    const { token } = (await t!.call('POST', '/api/v1/tokens', { body: { name: 'inbox only', role: 'approver' } })).body;
    const approver = clientFor(t!, token);
    // One call at a time: a refusal made before it is awaited would be an unhandled rejection.
    for (const call of [
      () => approver.ai.describe.create.mutate({ description: 'Approve expenses' }),
      () => approver.ai.describe.change.mutate({ graph: expenseGraph, instruction: 'add a step', focus: [] }),
      () => approver.ai.describe.status.query(),
      () => approver.ai.evals.run.mutate({ slug: 'expense' }),
      () => approver.ai.evals.put.mutate({ slug: 'expense', set: {} }),
      () => approver.ai.evals.list.query({ slug: 'expense' }),
    ]) {
      expect((await refusal(call())).data?.httpStatus).toBe(403);
    }
    expect(fake!.requests).toHaveLength(0);
    expect((await trpc.workflows.list.query()).map((workflow) => workflow.slug)).toEqual(['expense']);
  });
});
