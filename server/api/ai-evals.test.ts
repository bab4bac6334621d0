// Eval sets on a real server (both databases) against a fake OpenAI-compatible provider on 127.0.0.1:
// stored with the draft and frozen into versions; a run scores each case and node and is compared
// with the last published version; a threshold gates publishing, so a regression (scripted worse
// answers) lowers the score and blocks publish with a 422 naming the node and the score. Hostile
// sets (a bad JSONata assertion, a schema that does not compile, a node that is no ai node) are
// refused naming the case.
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../testing/fake-openai.js';
import { good, triageGraph, triageSet, worse } from '../testing/eval-fixtures.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/server-harness.js';
import type { AppRouter } from './trpc/router.js';

let t: TestServer | undefined;
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await t?.close();
  await fake?.close();
  t = fake = undefined;
});

const clientFor = (server: TestServer) => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.server.url}/trpc`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })] });

async function refusal(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

describe('eval sets', () => {
  it('score each case and node, compare with the last published version, and block a regressed publish over its threshold', async () => {
    // Run on the draft, publish (the gate runs them again), then the regression twice: run, and the refused publish.
    fake = await startFakeOpenAI([...good, ...good, ...worse, ...worse, ...good]);
    t = await startTestServer({ ai: { baseURL: fake.baseURL, models: { default: 'gpt-4o-mini' } } });
    const trpc = clientFor(t);
    expect((await t.call('PUT', '/api/v1/workflows/triage', { body: { name: 'Triage', graph: triageGraph() } })).status).toBeLessThan(300);
    expect((await trpc.ai.evals.put.mutate({ slug: 'triage', set: triageSet })).created).toBe(true);

    const first = await trpc.ai.evals.run.mutate({ slug: 'triage' });
    expect(first.report.score).toBe(1);
    const [node] = first.report.nodes;
    expect(node).toMatchObject({ node: 'classify', score: 1, threshold: 0.75, passed: true });
    expect(node.cases.map((result) => [result.name, result.score, result.repairs])).toEqual([
      ['crash is a bug', 1, 0],
      ['invoice is billing', 1, 1],
      ['outage is urgent', 1, 0],
      ['a known label', 1, 0],
    ]);
    // The recorded answer replays in a scenario's ai step; the repair turn sent the errors back.
    expect(node.cases[1].replay).toEqual({ ai: 'classify', answer: { label: 'billing' } });
    expect(fake.requests[0].body.messages.at(-1).content).toContain('the app crashes on start');
    expect(JSON.stringify(fake.requests[2].body.messages)).toContain('That answer could not be used');
    expect(first.compare).toBeNull();
    // Replayed in a scenario (the scenario's ai step), the recorded answer drives the run the same way.
    const replayed = { name: 'billing replay', input: { text: 'I was charged twice' }, steps: [node.cases[1].replay], expect: { status: 'completed', nodes: { classify: { label: 'billing' } } } };
    await t.server.services.scenarios!.put('triage', 'billing replay', replayed);
    expect((await t.server.services.scenarios!.run('triage')).results).toEqual([expect.objectContaining({ name: 'billing replay', passed: true })]);

    const published = await t.call('POST', '/api/v1/workflows/triage/publish', { body: {} });
    expect(published.status).toBe(201);
    expect(fake.requests).toHaveLength(10);

    // The regression: a changed prompt and worse answers.
    expect((await t.call('PUT', '/api/v1/workflows/triage', { body: { graph: triageGraph('Label: {{ vars.text }}') } })).status).toBe(200);
    const second = await trpc.ai.evals.run.mutate({ slug: 'triage' });
    expect(second.report.score).toBe(0.625);
    expect(second.report.nodes[0].cases.map((result) => [result.name, result.score, result.passed])).toEqual([
      ['crash is a bug', 1, true],
      ['invoice is billing', 0, false],
      ['outage is urgent', 0.5, false],
      ['a known label', 1, true],
    ]);
    expect(second.report.nodes[0].cases[2].checks).toEqual([
      { check: 'fields', passed: true },
      { check: 'assert', passed: false, message: 'the assertion "answer.urgent = true" gave false, not true' },
    ]);
    expect(second.compare).toMatchObject({ version: 1, run: { version: 1, score: 1, origin: 'publish' } });

    const blocked = await t.call('POST', '/api/v1/workflows/triage/publish', { body: {} });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.message).toContain('node "classify" scores 0.625 on its eval set, below its threshold 0.75');
    expect(blocked.body.error.details).toEqual([expect.objectContaining({ code: 'EVAL_BELOW_THRESHOLD', nodeId: 'classify', score: 0.625, threshold: 0.75 })]);
    expect((await t.call('GET', '/api/v1/workflows/triage/versions')).body.map((entry: { version: number }) => entry.version)).toEqual([1]);

    // Scores per version: the draft's newest run and version 1's.
    const listed = await trpc.ai.evals.list.query({ slug: 'triage' });
    expect(listed.versions.map((entry) => [entry.version, entry.score])).toEqual([[null, 0.625], [1, 1]]);
    expect(await trpc.ai.evals.list.query({ slug: 'triage' }).then((list) => list.sets)).toEqual([triageSet]);

    // Version 1's frozen set on version 1's graph (its prompt, not the draft's), on demand.
    const onVersion = await trpc.ai.evals.run.mutate({ slug: 'triage', version: 1 });
    expect(onVersion).toMatchObject({ report: { score: 1 }, run: { version: 1, origin: 'editor' }, compare: null });
    expect(fake.requests.at(-1)!.body.messages.at(-1).content).toContain('Classify this ticket: how do I export?');
    expect((await refusal(trpc.ai.evals.run.mutate({ slug: 'triage', version: 7 }))).message).toBe('workflow "triage" has no version 7');
  });

  it('refuses hostile sets naming the case, and runs nothing without sets or a model', async () => {
    t = await startTestServer();
    const trpc = clientFor(t);
    await t.call('PUT', '/api/v1/workflows/triage', { body: { name: 'Triage', graph: triageGraph() } });
    const withCase = (expect: unknown, extra: object = {}) => ({ node: 'classify', cases: [{ name: 'bad one', vars: {}, expect }], ...extra });

    expect((await refusal(trpc.ai.evals.put.mutate({ slug: 'triage', set: withCase({ assert: 'answer.label = (' }) }))).message).toMatch(/case "bad one": the assertion is not valid JSONata/);
    expect((await refusal(trpc.ai.evals.put.mutate({ slug: 'triage', set: withCase({ schema: { type: 'nonsense' } }) }))).message).toMatch(/case "bad one": the schema does not compile/);
    expect((await refusal(trpc.ai.evals.put.mutate({ slug: 'triage', set: withCase({}) }))).message).toMatch(/expect needs at least one of fields, assert or schema/);
    expect((await refusal(trpc.ai.evals.put.mutate({ slug: 'triage', set: withCase({ fields: { a: 1 } }, { threshold: 2 }) }))).message).toMatch(/threshold is a score from 0 to 1/);
    expect((await refusal(trpc.ai.evals.put.mutate({ slug: 'triage', set: { ...withCase({ fields: { a: 1 } }), node: 'done' } }))).message).toMatch(/node "done" is a end node, not an ai node/);
    expect((await refusal(trpc.ai.evals.put.mutate({ slug: 'triage', set: { ...withCase({ fields: { a: 1 } }), node: 'gone' } }))).message).toMatch(/the graph has no node "gone"/);
    const many = { node: 'classify', cases: Array.from({ length: 101 }, (_, index) => ({ name: `case ${index}`, expect: { fields: { label: 'x' } } })) };
    expect((await refusal(trpc.ai.evals.put.mutate({ slug: 'triage', set: many }))).message).toMatch(/at most 100 cases per set/);
    expect((await refusal(trpc.ai.evals.put.mutate({ slug: 'triage', set: 'not a set' }))).message).toMatch(/expected object/);
    expect((await refusal(trpc.ai.evals.run.mutate({ slug: 'triage' }))).message).toMatch(/has no eval sets/);
    expect((await refusal(trpc.ai.evals.list.query({ slug: 'nope' }))).message).toBe('no workflow "nope"');
    expect((await trpc.ai.evals.list.query({ slug: 'triage' })).sets).toEqual([]);

    // Without a model, a case scores 0 saying so, and a threshold blocks publishing.
    await trpc.ai.evals.put.mutate({ slug: 'triage', set: { node: 'classify', threshold: 0.5, cases: [{ name: 'no vars', vars: {}, expect: { fields: { label: 'bug' } } }, { name: 'crash', vars: { text: 'crash' }, expect: { fields: { label: 'bug' } } }] } });
    const run = await trpc.ai.evals.run.mutate({ slug: 'triage' });
    expect(run.report.nodes[0].cases.map((result) => result.checks)).toEqual([
      [{ check: 'answer', passed: false, message: "the case's vars do not match the node's input schema: vars.text is required" }],
      [{ check: 'answer', passed: false, message: 'no usable answer: default: no model configured' }],
    ]);
    const blocked = await t.call('POST', '/api/v1/workflows/triage/publish', { body: {} });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.message).toContain('node "classify" scores 0 on its eval set, below its threshold 0.5');
  });
});
