// A workflow that can start itself (a subflow node naming it, or a chain of other workflows' active
// versions leading back to it) publishes with a warning over REST and tRPC, never a refusal; and
// runs of it end at the configured depth (CAIRN_MAX_SUBFLOW_DEPTH, here 2).
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { createTestDatabase } from '../testing/test-database.js';
import { FakeClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
import { until } from '../testing/harness.js';
import { silentLogger } from '../logger.js';
import { createServer, type CairnServer } from '../main.js';
import type { AppRouter } from './trpc/router.js';
import { ADMIN_TOKEN } from '../testing/server-harness.js';

let server: CairnServer | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
afterEach(async () => {
  await server?.close();
  await dropDatabase?.();
  server = dropDatabase = undefined;
});

async function start(options: { maxSubflowDepth?: number } = {}) {
  const database = await createTestDatabase();
  dropDatabase = database.drop;
  server = await createServer({ databaseUrl: database.url, host: '127.0.0.1', port: 0, clock: new FakeClock(), logger: silentLogger, sync: 'normal', adminToken: ADMIN_TOKEN, seed: false, ...options });
  const url = server.url;
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
  };
}

/** start → sub (starts `target`) → end; the `error` port is left unconnected (itself a warning). */
const starts = (target: string): Graph =>
  buildGraph([['start', 'start'], ['sub', 'subflow', { workflow: target }], ['end', 'end']], ['start.next -> sub', 'sub.ok -> end']);
const plain = buildGraph([['start', 'start'], ['end', 'end']], ['start.next -> end']);

describe('publishing a workflow that can start itself', () => {
  it('publishes (201) and returns a warning naming the node; an unchanged republish warns again', async () => {
    const call = await start();
    expect((await call('PUT', '/api/v1/workflows/ouroboros', { graph: starts('ouroboros') })).status).toBe(201);
    const published = await call('POST', '/api/v1/workflows/ouroboros/publish', {});
    expect(published).toEqual({
      status: 201,
      body: {
        version: 1,
        warnings: [
          { code: 'PORT_LEADS_NOWHERE', nodeId: 'sub', port: 'error', message: expect.stringContaining('its error port leads nowhere') },
          { code: 'SUBFLOW_SELF_START', nodeId: 'sub', field: 'workflow', message: expect.stringContaining('node "sub" starts this workflow ("ouroboros") itself') },
        ],
      },
    });
    expect((await call('GET', '/api/v1/workflows/ouroboros')).body).toMatchObject({ activeVersion: 1 });
    expect(await call('POST', '/api/v1/workflows/ouroboros/publish', {})).toMatchObject({ status: 200, body: { version: 1, warnings: [expect.objectContaining({ code: 'PORT_LEADS_NOWHERE' }), expect.objectContaining({ code: 'SUBFLOW_SELF_START' })] } });

    // A workflow that starts nothing, or only others, has no warnings at all.
    await call('PUT', '/api/v1/workflows/plain', { graph: plain });
    expect(await call('POST', '/api/v1/workflows/plain/publish', {})).toEqual({ status: 201, body: { version: 1 } });
    // A still invalid draft is still refused, warnings or not.
    await call('PUT', '/api/v1/workflows/broken', { graph: buildGraph([['start', 'start'], ['sub', 'subflow', { workflow: 'broken' }]], ['start.next -> sub']) });
    expect(await call('POST', '/api/v1/workflows/broken/publish', {})).toMatchObject({ status: 422, body: { error: { code: 'INVALID_GRAPH' } } });
  });

  it("warns through other workflows' active versions (a → b → a), and over tRPC as the editor sees it", async () => {
    const call = await start();
    await call('PUT', '/api/v1/workflows/a', { graph: starts('b') });
    // b has no published version yet: nothing leads back to a (only the open error port is warned about).
    expect(await call('POST', '/api/v1/workflows/a/publish', {})).toEqual({ status: 201, body: { version: 1, warnings: [expect.objectContaining({ code: 'PORT_LEADS_NOWHERE', nodeId: 'sub' })] } });
    await call('PUT', '/api/v1/workflows/b', { graph: starts('a') });
    const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server!.url}/trpc`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })] });
    expect(await trpc.workflows.publish.mutate({ slug: 'b' })).toEqual({
      version: 1,
      created: true,
      warnings: [
        expect.objectContaining({ code: 'PORT_LEADS_NOWHERE', nodeId: 'sub', port: 'error' }),
        { code: 'SUBFLOW_SELF_START', nodeId: 'sub', field: 'workflow', message: expect.stringContaining('node "sub" starts "a", which starts this workflow ("b") again') },
      ],
    });
  });

  it('a run of it ends at CAIRN_MAX_SUBFLOW_DEPTH: the deepest start fails with SUBFLOW_DEPTH naming the limit', async () => {
    const call = await start({ maxSubflowDepth: 2 });
    await call('PUT', '/api/v1/workflows/ouroboros', { graph: starts('ouroboros') });
    await call('POST', '/api/v1/workflows/ouroboros/publish', {});
    const { body: run } = await call('POST', '/api/v1/workflows/ouroboros/instances', { input: {} });
    await until(async () => (await call('GET', `/api/v1/instances/${run.id}`)).body.status === 'failed', { what: 'the root run to fail' });
    const root = (await call('GET', `/api/v1/instances/${run.id}`)).body;
    expect(root).toMatchObject({ status: 'failed', error: { code: 'SUBFLOW_DEPTH', message: expect.stringContaining('it would be 3 levels deep, and sub-workflows nest at most 2 deep (CAIRN_MAX_SUBFLOW_DEPTH)') } });
    const { body: list } = await call('GET', '/api/v1/instances?workflow=ouroboros');
    expect(list.runs).toHaveLength(3);
  });
});
