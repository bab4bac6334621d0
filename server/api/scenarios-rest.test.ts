// Scenarios over REST (both databases): stored with the draft, frozen into the version at publish,
// run on the draft or a version; with the workflow's setting on, a failing scenario blocks publish
// (422 naming it) and nothing is published; hostile input is refused naming what is wrong.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadExample } from '../seed/examples.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

let api: TestServer | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const example = loadExample('expense-approval');
const suite = JSON.parse(readFileSync(new URL('../../examples/expense-approval.scenarios.json', import.meta.url), 'utf8')) as { scenarios: { name: string; expect: { output: Record<string, unknown> } }[] };

describe('scenarios over REST', () => {
  it('stores scenarios with the draft, runs them, freezes them into the version; a failing one blocks publish when the setting is on', async () => {
    api = await startTestServer();
    const { call } = api;
    expect((await call('PUT', '/api/v1/workflows/expense', { body: { name: 'Expense', graph: example.graph } })).status).toBe(201);
    expect((await call('PUT', '/api/v1/workflows/expense/scenarios', { body: { scenarios: suite.scenarios } })).body.scenarios).toHaveLength(suite.scenarios.length);

    const all = await call('POST', '/api/v1/workflows/expense/scenarios/run', { body: {} });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ passed: suite.scenarios.length, failed: 0, coverage: { nodes: { missed: [] }, edges: { missed: [] } } });

    // Break one expectation, then turn the setting on: publish is refused, naming the scenario.
    const broken = { ...suite.scenarios[1], expect: { ...suite.scenarios[1].expect, output: { status: 'approved' } } };
    expect((await call('PUT', `/api/v1/workflows/expense/scenarios/${encodeURIComponent(broken.name)}`, { body: broken })).status).toBe(200);
    expect((await call('POST', '/api/v1/workflows/expense/publish', { body: {} })).status).toBe(201);
    expect((await call('PUT', '/api/v1/workflows/expense/scenarios', { body: { requirePassing: true } })).body.requirePassing).toBe(true);
    const graph = { ...example.graph, nodes: example.graph.nodes.map((node) => (node.id === 'reimbursed' ? { ...node, label: 'Paid back' } : node)) };
    await call('PUT', '/api/v1/workflows/expense', { body: { graph } });
    const blocked = await call('POST', '/api/v1/workflows/expense/publish', { body: {} });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.message).toContain(`scenario(s) fail ("${broken.name}")`);
    expect(blocked.body.error.message).toContain('end: expect.output.status: expected "approved", got "rejected"');
    expect(blocked.body.error.details).toEqual([{ code: 'SCENARIO_FAILED', scenario: broken.name, message: expect.stringContaining('expected "approved"') }]);
    expect((await call('GET', '/api/v1/workflows/expense/versions')).body).toHaveLength(1);

    // Fixed, it publishes, and the version keeps the scenarios it was published with.
    await call('PUT', `/api/v1/workflows/expense/scenarios/${encodeURIComponent(broken.name)}`, { body: suite.scenarios[1] });
    expect((await call('POST', '/api/v1/workflows/expense/publish', { body: {} })).body.version).toBe(2);
    await call('DELETE', `/api/v1/workflows/expense/scenarios/${encodeURIComponent(suite.scenarios[0].name)}`);
    expect((await call('GET', '/api/v1/workflows/expense/scenarios')).body.scenarios).toHaveLength(suite.scenarios.length - 1);
    const frozen = await call('GET', '/api/v1/workflows/expense/versions/2/scenarios');
    expect(frozen.body.scenarios.map((scenario: { name: string }) => scenario.name)).toEqual(suite.scenarios.map((scenario) => scenario.name));
    const onVersion = await call('POST', '/api/v1/workflows/expense/scenarios/run', { body: { version: 2, names: [suite.scenarios[0].name] } });
    expect(onVersion.body).toMatchObject({ passed: 1, failed: 0, results: [{ name: suite.scenarios[0].name, passed: true, status: 'completed' }] });
  });

  it('refuses hostile input naming what is wrong, and stores nothing', async () => {
    api = await startTestServer();
    const { call } = api;
    await call('PUT', '/api/v1/workflows/expense', { body: { name: 'Expense', graph: example.graph } });
    const refusals: [string, string, unknown, number, RegExp][] = [
      ['PUT', '/api/v1/workflows/expense/scenarios', { scenarios: [{ name: 'x', steps: [{ teleport: 'now' }] }] }, 422, /scenario 1 "x", step 1: unknown step \("teleport"\)/],
      ['PUT', '/api/v1/workflows/expense/scenarios', { scenarios: [{ name: 'x', steps: [{ advance: '99y' }] }] }, 422, /step 1 \(advance\): advance: "99y" is longer than the limit of 1 year/],
      ['PUT', '/api/v1/workflows/expense/scenarios', { scenarios: 'all of them' }, 422, /scenarios must be a list/],
      ['PUT', '/api/v1/workflows/expense/scenarios', { requirePassing: 'yes' }, 422, /requirePassing must be true or false/],
      ['PUT', '/api/v1/workflows/expense/scenarios', { scenarios: [], extra: 1 }, 422, /unknown field\(s\) "extra"/],
      ['PUT', '/api/v1/workflows/expense/scenarios', { scenarios: [{ name: 'x', workflow: { file: '/etc/passwd' } }] }, 422, /leave "workflow" out/],
      ['PUT', '/api/v1/workflows/expense/scenarios/other', { name: 'x' }, 422, /named "x" but the URL names "other"/],
      ['PUT', '/api/v1/workflows/nope/scenarios/x', {}, 404, /no workflow "nope"/],
      ['POST', '/api/v1/workflows/expense/scenarios/run', { version: 'latest' }, 400, /version must be a version number/],
      ['POST', '/api/v1/workflows/expense/scenarios/run', { version: 7 }, 404, /has no version 7/],
      ['POST', '/api/v1/workflows/expense/scenarios/run', { names: ['ghost'] }, 404, /no scenario "ghost"/],
      ['DELETE', '/api/v1/workflows/expense/scenarios/ghost', undefined, 404, /no scenario "ghost"/],
    ];
    for (const [method, url, body, status, message] of refusals) {
      const answer = await call(method, url, { body });
      expect([url, answer.status], JSON.stringify(body)).toEqual([url, status]);
      expect(answer.body.error.message).toMatch(message);
    }
    expect((await call('GET', '/api/v1/workflows/expense/scenarios')).body).toEqual({ requirePassing: false, scenarios: [] });

    // A stored scenario naming a node the draft no longer has fails its run with that problem.
    await call('PUT', '/api/v1/workflows/expense/scenarios/ghost', { body: { steps: [{ decide: 'boss', decision: 'approve' }] } });
    const run = await call('POST', '/api/v1/workflows/expense/scenarios/run', { body: {} });
    expect(run.body).toMatchObject({ passed: 0, failed: 1, results: [{ name: 'ghost', passed: false, failures: [expect.stringContaining('no node "boss" in the workflow; its approval nodes are manager, director')] }] });
    expect((await call('GET', '/api/v1/workflows/expense/scenarios', { token: '' })).status).toBe(401);
  });
});
