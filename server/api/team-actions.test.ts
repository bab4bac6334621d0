// Team actions in a real server (both databases): steps use them and are checked against their input
// at publish like built-ins; a published version records the team actions it uses (name, module file,
// hash) and the versions answer says which this server has as published, changed or not at all.
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph, lineOfSteps } from '../testing/graphs.js';
import { createActionProject, GREET_MODULE, type ActionProject } from '../testing/action-project.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';
import { createWorkflowsRepo } from '../db/repos/workflows.repo.js';
import { createWorkflowsService } from '../services/workflows.service.js';
import { loadActions } from '../actions/loader.js';
import { createActionRegistry } from '../actions/team-actions.js';

let t: TestServer | undefined;
let project: ActionProject | undefined;
afterEach(async () => {
  await t?.close();
  project?.close();
  t = undefined;
  project = undefined;
});

const orderGraph = () =>
  lineOfSteps([
    { id: 'greet', action: 'team.greet', input: { person: '{{ input.name }}', loud: true } },
    { id: 'sum', action: 'team.total', input: { lines: '{{ input.lines }}' } },
    { id: 'note', action: 'log', input: { message: 'done' } },
  ]);

async function serverWithProject() {
  project = createActionProject();
  const teamActions = await loadActions(project.actionsDir);
  t = await startTestServer({ teamActions });
  return { teamActions, t };
}

describe('team actions in a server', () => {
  it('a run uses two team actions, and the version records them with their module hash', async () => {
    const { teamActions, t } = await serverWithProject();
    expect((await t.call('PUT', '/api/v1/workflows/orders', { body: { name: 'Orders', graph: orderGraph() } })).status).toBeLessThan(300);
    expect((await t.call('POST', '/api/v1/workflows/orders/publish', { body: {} })).status).toBe(201);
    const started = await t.call('POST', '/api/v1/workflows/orders/instances', { body: { input: { name: 'Ada', lines: [{ price: 2.5, quantity: 4 }, { price: 1, quantity: 1 }] } } });
    expect(started.status).toBe(201);
    await t.worker.drain();
    const run = (await t.call('GET', `/api/v1/instances/${started.body.id}`)).body;
    expect(run.status).toBe('completed');
    const history = (await t.call('GET', `/api/v1/instances/${started.body.id}/history`)).body as { type: string; nodeId?: string; data?: { output?: unknown } }[];
    const outputOf = (nodeId: string) => history.find((event) => event.type === 'nodeCompleted' && event.nodeId === nodeId)?.data?.output;
    expect(outputOf('greet')).toEqual({ greeting: 'HELLO, ADA! (ATTEMPT 1)' });
    expect(outputOf('sum')).toEqual({ total: 11, currency: 'EUR' });

    const hashOf = (name: string) => teamActions.find((action) => action.definition.name === name)!.module.hash;
    const [version] = (await t.call('GET', '/api/v1/workflows/orders/versions')).body;
    expect(version.actions).toEqual([
      { name: 'team.greet', file: 'greet.ts', hash: hashOf('team.greet'), state: 'loaded' },
      { name: 'team.total', file: 'total.ts', hash: hashOf('team.total'), state: 'loaded' },
    ]);
  });

  it('publish checks a team action step against its declared input, naming node and field', async () => {
    const { t } = await serverWithProject();
    const graph = lineOfSteps([{ id: 'sum', action: 'team.total', input: { currency: 'GBP' } }]);
    await t.call('PUT', '/api/v1/workflows/bad', { body: { name: 'Bad', graph } });
    const refused = await t.call('POST', '/api/v1/workflows/bad/publish', { body: {} });
    expect(refused.status).toBe(422);
    const messages = (refused.body.error.details as { nodeId?: string; message: string }[]).filter((problem) => problem.nodeId === 'sum').map((problem) => problem.message);
    expect(messages.join('\n')).toMatch(/lines is required/);
    expect(messages.join('\n')).toMatch(/currency/);
  });

  it('the versions answer says which versions need an action this server lacks or has changed', async () => {
    const { t } = await serverWithProject();
    await t.call('PUT', '/api/v1/workflows/orders', { body: { name: 'Orders', graph: orderGraph() } });
    await t.call('POST', '/api/v1/workflows/orders/publish', { body: {} });
    const plain = buildGraph([['start', 'start'], ['note', 'step', { action: 'log', input: { message: 'hi' } }], ['end', 'end']], ['start.next -> note', 'note.ok -> end']);
    await t.call('PUT', '/api/v1/workflows/orders', { body: { name: 'Orders', graph: plain } });
    await t.call('POST', '/api/v1/workflows/orders/publish', { body: {} });

    // Another process on this database, whose actions folder has an edited greet.ts and no total.ts.
    project!.remove('total.ts');
    project!.write('greet.ts', GREET_MODULE.replace('Hello', 'Hi'));
    const registry = createActionRegistry({ team: await loadActions(project!.actionsDir) });
    const elsewhere = createWorkflowsService({ repo: createWorkflowsRepo(t.server.prisma), actions: registry, clock: t.clock });
    const [v2, v1] = await elsewhere.versions('orders');
    expect(v2.actions).toEqual([]);
    expect(v1.actions.map(({ name, state }) => [name, state])).toEqual([
      ['team.greet', 'changed'],
      ['team.total', 'missing'],
    ]);
  });
});
