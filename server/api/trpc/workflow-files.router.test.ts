// tRPC workflowFiles.* — the workflows page's export and import — against a real server on 127.0.0.1,
// on both databases: a workflow leaves with its scenarios and eval sets and comes back with them as a
// new workflow; an import never overwrites a workflow, and one whose graph, scenarios or eval sets
// cannot be used is refused naming what is wrong, with nothing saved; approvers may not import.
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { triageGraph, triageSet } from '../../testing/eval-fixtures.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../../testing/server-harness.js';
import type { AppRouter } from './router.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function clientFor(server: TestServer, token = ADMIN_TOKEN) {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })] });
}

async function refusal(call: Promise<unknown>): Promise<{ code?: string; message: string }> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the call should have been refused').toBeInstanceOf(TRPCClientError);
  return { code: (error as TRPCClientError<AppRouter>).data?.code, message: (error as Error).message };
}

const { threshold: _threshold, ...informing } = triageSet;
/** Without a model the ai node takes `fallback`, which leads nowhere: the run fails there. */
const scenario = { name: 'no model: fallback', input: { text: 'hi' }, steps: [], expect: { status: 'failed', visited: ['classify'] } };

describe('tRPC workflowFiles', () => {
  it('exports a draft with its scenarios and eval sets, and imports the file as a new workflow with them', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await trpc.workflows.saveDraft.mutate({ slug: 'triage', name: 'Triage', graph: triageGraph() });
    // Without scenarios or eval sets, the bare graph.
    expect(await trpc.workflowFiles.export.query({ slug: 'triage' })).toMatchObject({ format: 'cairn.graph/v2', nodes: expect.any(Array) });
    await trpc.tests.save.mutate({ slug: 'triage', name: scenario.name, scenario });
    await trpc.ai.evals.put.mutate({ slug: 'triage', set: informing });

    const file = await trpc.workflowFiles.export.query({ slug: 'triage' });
    expect(file).toMatchObject({ slug: 'triage', name: 'Triage', graph: { format: 'cairn.graph/v2' }, scenarios: [{ name: scenario.name }], evals: [informing] });

    // What the page downloads, read back and imported beside it.
    const text = JSON.stringify(file);
    const imported = await trpc.workflowFiles.import.mutate({ ...JSON.parse(text), slug: 'triage-2', name: 'Triage again' });
    expect(imported).toEqual({ created: true, slug: 'triage-2', name: 'Triage again', draftRev: 1, scenarios: 1, evals: 1 });
    expect((await trpc.tests.list.query({ slug: 'triage-2' })).scenarios.map((stored) => stored.name)).toEqual([scenario.name]);
    expect((await trpc.ai.evals.list.query({ slug: 'triage-2' })).sets).toEqual([informing]);
    // And they run there: the scenario passes on the imported draft.
    expect(await trpc.tests.run.mutate({ slug: 'triage-2' })).toMatchObject({ passed: 1, failed: 0 });

    // Published, the version's frozen ones are exported.
    await trpc.workflows.publish.mutate({ slug: 'triage-2' });
    await trpc.ai.evals.remove.mutate({ slug: 'triage-2', node: 'classify' });
    expect(await trpc.workflowFiles.export.query({ slug: 'triage-2', version: 1 })).toMatchObject({ evals: [informing], scenarios: [{ name: scenario.name }] });
    expect(await trpc.workflowFiles.export.query({ slug: 'triage-2' })).not.toHaveProperty('evals');
  });

  it('refuses what cannot be imported, naming it, with nothing saved', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await trpc.workflows.saveDraft.mutate({ slug: 'triage', name: 'Triage', graph: triageGraph() });
    await trpc.ai.evals.put.mutate({ slug: 'triage', set: informing });
    const good = { graph: triageGraph(), scenarios: [scenario], evals: [informing] };

    // An existing workflow is never overwritten: its draft and sets stay as they were.
    const taken = await refusal(trpc.workflowFiles.import.mutate({ slug: 'triage', name: 'Other', ...good, evals: [] }));
    expect(taken.code).toBe('CONFLICT');
    expect((await trpc.ai.evals.list.query({ slug: 'triage' })).sets).toEqual([informing]);
    expect((await trpc.workflows.get.query({ slug: 'triage' })).name).toBe('Triage');

    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['a graph that is not one', { graph: { nodes: 'many' } }, 'UNPROCESSABLE_CONTENT', /the graph is not a cairn\.graph\/v2 graph/],
      ['a scenario with a bad step', { scenarios: [{ name: 'x', steps: [{ advance: 'forever' }] }] }, 'UNPROCESSABLE_CONTENT', /scenario 1 "x", step 1 \(advance\): advance: "forever" is not a duration/],
      ['scenarios that are not a list', { scenarios: { name: 'x' } }, 'UNPROCESSABLE_CONTENT', /scenarios must be a list of at most 200 scenarios/],
      ['a scenario that names another workflow', { scenarios: [{ ...scenario, workflow: { file: '/etc/passwd' } }] }, 'UNPROCESSABLE_CONTENT', /leave "workflow" out/],
      ['an eval set for a node the graph lacks', { evals: [{ ...informing, node: 'sort' }] }, 'UNPROCESSABLE_CONTENT', /eval set "sort": the graph has no node "sort"/],
      ['an eval set with bad JSONata', { evals: [{ ...informing, cases: [{ name: 'broken', vars: {}, expect: { assert: '$$$(' } }] }] }, 'UNPROCESSABLE_CONTENT', /case "broken": the assertion is not valid JSONata/],
      ['a bad slug', { slug: '../etc' }, 'BAD_REQUEST', /slug/],
      ['an empty name', { name: '   ' }, 'UNPROCESSABLE_CONTENT', /name must be non-empty text/],
    ];
    for (const [what, change, code, message] of cases) {
      const refused = await refusal(trpc.workflowFiles.import.mutate({ slug: 'fresh', name: 'Fresh', ...good, ...change } as never));
      expect(refused.code, what).toBe(code);
      expect(refused.message, what).toMatch(message);
      expect((await refusal(trpc.workflows.get.query({ slug: 'fresh' }))).code, what).toBe('NOT_FOUND');
    }
  });

  it('is for those who may edit workflows: an approver may neither export nor import', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await trpc.workflows.saveDraft.mutate({ slug: 'triage', name: 'Triage', graph: triageGraph() });
    const token = (await t.call('POST', '/api/v1/tokens', { body: { name: 'approver', role: 'approver' } })).body.token as string;
    const approver = clientFor(t, token);
    const refused = await refusal(approver.workflowFiles.import.mutate({ slug: 'mine', name: 'Mine', graph: triageGraph() }));
    expect(refused.code).toBe('FORBIDDEN');
    expect((await refusal(trpc.workflows.get.query({ slug: 'mine' }))).code).toBe('NOT_FOUND');
    expect((await refusal(approver.workflowFiles.export.query({ slug: 'triage' }))).code).toBe('FORBIDDEN');
  });
});
