// Drafts and versions stored in format v1 (bare JSONata in expression fields, before DESIGN §2's
// literal rule) keep their meaning through the real server, on the database this run is parametrised
// with: runs of the old version take the same branch, the draft reads as its v2 equivalent and
// republishes to a version that behaves the same, and the stored version's bytes and hash never change.
import { afterEach, describe, expect, it } from 'vitest';
import { GRAPH_FORMAT_V1 } from '../../shared/graph/upgrade.js';
import { openEngineDatabase, type EngineDatabase } from '../db/engine-database.js';
import { createTestDatabase } from '../testing/test-database.js';
import { FakeClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
import { until } from '../testing/harness.js';
import { silentLogger } from '../logger.js';
import { createServer, type CairnServer } from '../main.js';
import { ADMIN_TOKEN } from '../testing/server-harness.js';

let server: CairnServer | undefined;
let tool: EngineDatabase | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
afterEach(async () => {
  await server?.close();
  await tool?.close();
  await dropDatabase?.();
  server = tool = dropDatabase = undefined;
});

/** As Cairn wrote it before format v2: a bare condition and bare JSONata outputs. */
const legacy = () => ({
  ...buildGraph(
    [['start', 'start'], ['check', 'branch', { condition: 'input.amount > 100' }], ['big', 'end', { output: '"big"' }], ['small', 'end', { output: '{"size": "small", "amount": input.amount}' }]],
    ['start.next -> check', 'check.true -> big', 'check.false -> small'],
  ),
  format: GRAPH_FORMAT_V1,
});

async function start() {
  const database = await createTestDatabase();
  dropDatabase = database.drop;
  // The old draft and version 1, written as they were (publishVersion stores the graph as given).
  tool = await openEngineDatabase(database.url, { listen: false });
  await tool.publishVersion({ slug: 'legacy', graph: legacy() as never, now: Date.UTC(2026, 0, 1) });
  server = await createServer({ databaseUrl: database.url, host: '127.0.0.1', port: 0, clock: new FakeClock(), logger: silentLogger, sync: 'normal', adminToken: ADMIN_TOKEN, seed: false });
  const url = server.url;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
  };
  const outputOf = async (amount: number) => {
    const { body: run } = await call('POST', '/api/v1/workflows/legacy/instances', { input: { amount } });
    await until(async () => (await call('GET', `/api/v1/instances/${run.id}`)).body.status === 'completed', { what: `the run with amount ${amount} to complete` });
    const done = (await call('GET', `/api/v1/instances/${run.id}`)).body;
    return { version: done.version, output: done.output };
  };
  /** Version 1's stored graph and hash, as the database holds them. */
  const stored = () => tool!.scalar<string>('SELECT graph || graph_hash FROM workflow_versions WHERE version = 1');
  return { call, outputOf, stored };
}

describe('a draft and a version stored in format v1', () => {
  it('keep their meaning: runs of the old version take the same branch, and so do runs of the republished draft', async () => {
    const { call, outputOf, stored } = await start();
    const before = await stored();

    // Version 1 as stored: the bare condition is evaluated (a literal would always be true).
    expect(await outputOf(50)).toEqual({ version: 1, output: { size: 'small', amount: 50 } });
    expect(await outputOf(150)).toEqual({ version: 1, output: 'big' });

    // The draft reads as its v2 equivalent; so does version 1.
    const { body: workflow } = await call('GET', '/api/v1/workflows/legacy');
    expect(workflow.draft.format).toBe('cairn.graph/v2');
    expect(workflow.draft.nodes.map((node: { id: string; config: unknown }) => [node.id, node.config])).toEqual([
      ['start', {}],
      ['check', { condition: '{{ input.amount > 100 }}' }],
      ['big', { output: '{{ "big" }}' }],
      ['small', { output: '{{ {"size": "small", "amount": input.amount} }}' }],
    ]);
    expect((await call('GET', '/api/v1/workflows/legacy/versions/1')).body).toMatchObject({ graph: { format: 'cairn.graph/v2', nodes: expect.arrayContaining([expect.objectContaining({ id: 'check', config: { condition: '{{ input.amount > 100 }}' } })]) } });

    // Republished as it reads now: a new version (its bytes differ), the same behaviour.
    expect(await call('POST', '/api/v1/workflows/legacy/publish', {})).toMatchObject({ status: 201, body: { version: 2 } });
    expect(await outputOf(50)).toEqual({ version: 2, output: { size: 'small', amount: 50 } });
    expect(await outputOf(150)).toEqual({ version: 2, output: 'big' });

    // Version 1 was never rewritten: its graph and hash are as published.
    expect(await stored()).toBe(before);
  });

  it('a v1 graph saved over the API today is read the same way; a v2 one with the same text means the literal', async () => {
    const { call } = await start();
    const v1 = legacy();
    expect((await call('PUT', '/api/v1/workflows/sent', { graph: v1 })).status).toBe(201);
    expect((await call('GET', '/api/v1/workflows/sent')).body.draft.nodes[1].config).toEqual({ condition: '{{ input.amount > 100 }}' });
    // The same text as v2 is literal, and a bare condition is refused at publish with the fix.
    await call('PUT', '/api/v1/workflows/literal', { graph: { ...v1, format: 'cairn.graph/v2' } });
    const refused = await call('POST', '/api/v1/workflows/literal/publish', {});
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'INVALID_GRAPH', details: [expect.objectContaining({ code: 'EXPRESSION_NOT_BRACED', nodeId: 'check', field: 'condition' })] } } });
    expect(refused.body.error.details[0].message).toContain('write {{ input.amount > 100 }}');
  });
});
