// Credentials an action declares (issue 15), on a real server on both databases: a step chooses the
// stored credential for each (its `credentials`), and `ctx.credentials.get(<declared name>)` resolves
// that one when the attempt runs — never another, and never one of the wrong kind. Publish refuses a
// step that leaves a required one unchosen, chooses one that is not stored, or chooses for a name the
// action does not declare, each a problem naming node and field; a fixed `credential` name given to
// http.request must be stored too. Editors list the names (never values) for the inspector's pickers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildGraph, lineOfSteps } from '../testing/graphs.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';
import { checkDefinition } from '../actions/definition-check.js';
import { defineAction, type ActionDefinition, type ActionSchema } from '../actions/define.js';

const KEY = Buffer.alloc(32, 9).toString('base64');
const TOKEN_A = 'token-a-0123456789';
const TOKEN_B = 'token-b-much-longer-0123456789';

/** Declares a bearer `api` (required) and free-form `extra` (optional); says what it was given. */
const ping = defineAction({
  name: 'team.ping',
  description: 'Calls the API with its token.',
  input: z.object({ ask: z.string().default('api') }),
  credentials: {
    api: { kind: 'bearer', description: 'The API token' },
    extra: { kind: 'fields', description: 'Optional settings', optional: true },
  },
  async run({ ask }, ctx) {
    const value = await ctx.credentials.get(ask);
    return { kind: value.kind, length: value.kind === 'bearer' ? value.token.length : 0, token: value.kind === 'bearer' ? value.token : null };
  },
});

/** Undoes a charge with its own declared credential. */
const refund = defineAction({
  name: 'team.refund',
  description: 'Refunds.',
  input: z.object({}),
  credentials: { payments: { description: 'The payments API' } },
  run: () => ({ refunded: true }),
});

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ secretKey: KEY, actions: [ping, refund] });
  for (const [name, value] of [
    ['api-a', { kind: 'bearer', token: TOKEN_A }],
    ['api-b', { kind: 'bearer', token: TOKEN_B }],
    ['settings', { kind: 'fields', fields: { region: 'eu-west-1' } }],
  ] as const) {
    expect((await t.call('POST', '/api/v1/credentials', { body: { name, value } })).status).toBe(201);
  }
}, 60_000);
afterAll(() => t?.close());

async function save(slug: string, graph: unknown) {
  expect((await t.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph } })).status).toBeLessThan(300);
  return t.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} });
}

async function publishAndRun(slug: string, step: Record<string, unknown>) {
  const published = await save(slug, lineOfSteps([{ id: 'call', action: 'team.ping', ...step }]));
  expect(published.status, JSON.stringify(published.body)).toBe(201);
  const { id } = (await t.call('POST', `/api/v1/workflows/${slug}/instances`, { body: { input: {} } })).body;
  await t.worker.drain();
  return { run: (await t.call('GET', `/api/v1/instances/${id}`)).body, history: (await t.call('GET', `/api/v1/instances/${id}/history`)).body as { type: string; nodeId?: string; data?: { output?: unknown } }[] };
}

describe('credentials an action declares', () => {
  it('resolve to the stored credential the step chose, redacted from what is stored', async () => {
    const { run, history } = await publishAndRun('chosen-b', { credentials: { api: 'api-b' } });
    expect(run.status).toBe('completed');
    const output = history.find((event) => event.type === 'nodeCompleted' && event.nodeId === 'call')!.data!.output;
    expect(output).toEqual({ kind: 'bearer', length: TOKEN_B.length, token: '[redacted]' });
    expect(JSON.stringify([run, history])).not.toContain(TOKEN_B);
    // Another step, another choice: the same action gets that one.
    const other = await publishAndRun('chosen-a', { credentials: { api: 'api-a' } });
    expect(other.history.find((event) => event.type === 'nodeCompleted' && event.nodeId === 'call')!.data!.output).toEqual({ kind: 'bearer', length: TOKEN_A.length, token: '[redacted]' });
  });

  it('refuse at run time what the step did not give: an undeclared name, an unchosen optional one, the wrong kind', async () => {
    const sneaky = await publishAndRun('sneaky', { input: { ask: 'api-a' }, credentials: { api: 'api-b' } });
    expect(sneaky.run.error).toMatchObject({ code: 'CREDENTIAL_NOT_DECLARED', retryable: false, message: 'action "team.ping" asked for credential "api-a", which it does not declare (it declares "api", "extra")' });
    const unchosen = await publishAndRun('unchosen', { input: { ask: 'extra' }, credentials: { api: 'api-b' } });
    expect(unchosen.run.error).toMatchObject({ code: 'CREDENTIAL_NOT_CHOSEN', message: 'node "call" chose no credential for "extra" of action "team.ping": choose one in the step\'s credentials.extra' });
    const wrongKind = await publishAndRun('wrong-kind', { credentials: { api: 'settings' } });
    expect(wrongKind.run.error).toMatchObject({ code: 'CREDENTIAL_KIND', message: 'credential "settings" is fields; action "team.ping" needs a bearer credential for "api"' });
    expect(JSON.stringify(wrongKind)).not.toContain('eu-west-1');
  });

  it('refuse to publish a step that leaves a required one unchosen, chooses one not stored or for an undeclared name; each names node and field', async () => {
    const graph = buildGraph(
      [
        ['start', 'start'],
        ['none', 'step', { action: 'team.ping', compensate: { action: 'team.refund' } }],
        ['gone', 'step', { action: 'team.ping', credentials: { api: 'api-c', extra: 'settings', bogus: 'api-a' } }],
        ['fixed', 'step', { action: 'http.request', input: { url: 'https://example.com', credential: 'stripe' } }],
        ['computed', 'step', { action: 'http.request', input: { url: 'https://example.com', credential: '{{ input.which }}' } }],
        ['badName', 'step', { action: 'team.ping', credentials: { api: 'Not A Name!' } }],
        ['end', 'end'],
      ],
      ['start.next -> none', 'none.ok -> gone', 'gone.ok -> fixed', 'fixed.ok -> computed', 'computed.ok -> badName', 'badName.ok -> end'],
    );
    const refused = await save('refused', graph);
    expect(refused.status).toBe(422);
    const problems = (refused.body.error.details as { code: string; nodeId: string; field: string; message: string }[]).map(({ code, nodeId, field }) => `${code} ${nodeId} ${field}`);
    expect(problems.sort()).toEqual(
      [
        'CREDENTIAL_MISSING none credentials.api',
        'CREDENTIAL_MISSING none compensate.credentials.payments',
        'CREDENTIAL_UNKNOWN gone credentials.api',
        'CREDENTIAL_UNKNOWN gone credentials.bogus',
        'CREDENTIAL_UNKNOWN fixed input.credential',
        'CONFIG_INVALID badName credentials.api',
        'CREDENTIAL_UNKNOWN badName credentials.api',
      ].sort(),
    );
    const byField = Object.fromEntries((refused.body.error.details as { nodeId: string; field: string; message: string }[]).map((problem) => [`${problem.nodeId} ${problem.field}`, problem.message]));
    expect(byField['none credentials.api']).toBe('node "none" credentials.api: team.ping needs a credential for "api" (The API token; bearer): choose a stored one');
    expect(byField['gone credentials.api']).toBe('node "gone" credentials.api: no credential named "api-c" is stored: an admin adds it in Settings → Credentials, or choose another');
    expect(byField['gone credentials.bogus']).toBe('node "gone" credentials.bogus: team.ping declares no credential "bogus" (it declares "api", "extra"); remove it');
    // Chosen and stored, it publishes; the optional one may stay unchosen.
    const fixedGraph = lineOfSteps([
      { id: 'call', action: 'team.ping', credentials: { api: 'api-a' }, compensate: { action: 'team.refund', credentials: { payments: 'api-b' } } },
    ]);
    expect((await save('refused-fixed', fixedGraph)).status).toBe(201);
  });

  it('are in use once a published version chooses them: deleting one is refused naming the workflow', async () => {
    expect((await save('uses-settings', lineOfSteps([{ id: 'call', action: 'team.ping', credentials: { api: 'api-a', extra: 'settings' } }]))).status).toBe(201);
    const refused = await t.call('DELETE', '/api/v1/credentials/settings');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/used by published versions of .*uses-settings \(version 1\)/);
  });

  it('are described with the action, and editors list the stored names (never values) for the pickers', async () => {
    const described = (await t.call('GET', '/trpc/actions')).body.result.data as { name: string; credentials?: unknown }[];
    expect(described.find((action) => action.name === 'team.ping')?.credentials).toEqual({
      api: { kind: 'bearer', description: 'The API token' },
      extra: { kind: 'fields', description: 'Optional settings', optional: true },
    });
    expect(described.find((action) => action.name === 'log')).not.toHaveProperty('credentials');
    const editor = (await t.call('POST', '/api/v1/tokens', { body: { name: 'editor', role: 'editor' } })).body.token as string;
    const listed = await t.call('GET', '/trpc/credentials.names', { token: editor });
    expect(listed.status).toBe(200);
    expect(listed.body.result.data).toMatchObject({ available: true, credentials: expect.arrayContaining([{ name: 'api-a', kind: 'bearer', description: null }]) });
    expect(JSON.stringify(listed.body)).not.toMatch(/token-a|eu-west-1/);
    const approver = (await t.call('POST', '/api/v1/tokens', { body: { name: 'approver', role: 'approver' } })).body.token as string;
    expect((await t.call('GET', '/trpc/credentials.names', { token: approver })).status).toBe(403);
    expect((await t.call('GET', '/trpc/credentials.list', { token: editor })).status).toBe(403);
  });
});

describe('declaring credentials', () => {
  const withCredentials = (credentials: unknown) => ({ ...ping, credentials }) as unknown as ActionDefinition<ActionSchema, unknown>;
  it.each([
    ['not an object', ['api'], 'credentials must be an object'],
    ['a name with a dot', { 'my.api': { description: 'x' } }, 'credential name "my.api" must be a letter, then letters, digits or "_"'],
    ['an unknown kind', { api: { kind: 'oauth', description: 'x' } }, 'credential "api" kind: must be bearer, basic, header, query or fields'],
    ['no description', { api: { kind: 'bearer' } }, 'credential "api" description:'],
    ['an unknown field', { api: { description: 'x', secret: 'hunter2' } }, 'credential "api":'],
    ['too many', Object.fromEntries(Array.from({ length: 21 }, (_, index) => [`c${index}`, { description: 'x' }])), 'it declares 21 credentials; at most 20'],
  ])('refuses %s, naming the action', (_what, credentials, message) => {
    expect(checkDefinition(withCredentials(credentials))).toContain(`action "team.ping": ${message}`);
  });

  it('takes well-formed declarations, or none', () => {
    expect(checkDefinition(ping as unknown as ActionDefinition<ActionSchema, unknown>)).toBeUndefined();
    expect(checkDefinition(withCredentials(undefined))).toBeUndefined();
  });
});
