// Publishing checks what would fail at run time (issue 13), through the real server on the database
// this run is parametrised with: a step whose input its action refuses is a 422 naming node and field
// (the same input the action's own schema refuses when a run reaches it); graphs that are valid but
// probably wrong publish with warnings that name node and field or port.
import { afterEach, describe, expect, it } from 'vitest';
import { httpRequestAction } from '../actions/builtin.actions.js';
import { createTestDatabase } from '../testing/test-database.js';
import { FakeClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
import { silentLogger } from '../logger.js';
import { createServer, type CairnServer } from '../main.js';
import { ADMIN_TOKEN } from '../testing/server-harness.js';

let server: CairnServer | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
afterEach(async () => {
  await server?.close();
  await dropDatabase?.();
  server = dropDatabase = undefined;
});

async function start() {
  const database = await createTestDatabase();
  dropDatabase = database.drop;
  server = await createServer({ databaseUrl: database.url, host: '127.0.0.1', port: 0, clock: new FakeClock(), logger: silentLogger, sync: 'normal', adminToken: ADMIN_TOKEN, seed: false });
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

/** start → call (http.request with `input`) → end, every port handled. */
const calling = (input: Record<string, unknown>) =>
  buildGraph(
    [['start', 'start'], ['call', 'step', { action: 'http.request', input }], ['end', 'end'], ['stop', 'fail', { message: 'the call failed' }]],
    ['start.next -> call', 'call.ok -> end', 'call.error -> stop'],
  );

describe('publish refuses what would fail at run time', () => {
  it('an http.request step without url: 422 naming node and field, as the action itself would refuse it', async () => {
    const call = await start();
    const input = { method: 'POST', body: { order: 'A-1' } };
    await call('PUT', '/api/v1/workflows/no-url', { graph: calling(input) });
    const refused = await call('POST', '/api/v1/workflows/no-url/publish', {});
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'INVALID_GRAPH', details: [{ code: 'ACTION_INPUT_INVALID', nodeId: 'call', field: 'input.url' }] } } });
    expect(refused.body.error.message).toContain('node "call" input.url: url is required (input of http.request)');
    // What a run would have met at its first attempt.
    expect(httpRequestAction.input.safeParse(input).success).toBe(false);
    // Nothing was published; with the url it publishes.
    expect((await call('GET', '/api/v1/workflows/no-url/versions')).body).toEqual([]);
    await call('PUT', '/api/v1/workflows/no-url', { graph: calling({ ...input, url: 'https://example.com/orders' }) });
    expect(await call('POST', '/api/v1/workflows/no-url/publish', {})).toMatchObject({ status: 201, body: { version: 1 } });
  });

  it('every problem at once, each with its node and field: a bare condition (with its fix), an unknown name, a wrong type', async () => {
    const call = await start();
    const graph = buildGraph(
      [['start', 'start'], ['check', 'branch', { condition: 'input.amount > 100' }], ['call', 'step', { action: 'http.request', input: { url: 'https://example.com', method: 'FETCH' } }], ['done', 'end', { output: '{{ approved }}' }]],
      ['start.next -> check', 'check.true -> call', 'check.false -> done', 'call.ok -> done', 'call.error -> done'],
    );
    await call('PUT', '/api/v1/workflows/many', { graph });
    const { status, body } = await call('POST', '/api/v1/workflows/many/publish', {});
    expect(status).toBe(422);
    expect(body.error.details.map(({ code, nodeId, field }: Record<string, string>) => [code, nodeId, field])).toEqual([
      ['EXPRESSION_NOT_BRACED', 'check', 'condition'],
      ['ACTION_INPUT_INVALID', 'call', 'input.method'],
      ['UNKNOWN_NAME', 'done', 'output'],
    ]);
    expect(body.error.details[0].message).toContain('write {{ input.amount > 100 }}');
  });

  it('a hostile step input (deep, wide, odd keys) is answered with problems, and the server goes on', async () => {
    const call = await start();
    let deep: unknown = '{{ input.x';
    for (let level = 0; level < 40; level++) deep = { [`k/${level}~`]: deep };
    const wide = Object.fromEntries(Array.from({ length: 2_000 }, (_, index) => [`h${index}`, index]));
    await call('PUT', '/api/v1/workflows/hostile', { graph: calling({ url: 'https://example.com', headers: wide, body: deep }) });
    const { status, body } = await call('POST', '/api/v1/workflows/hostile/publish', {});
    expect(status).toBe(422);
    const fields = body.error.details.map((problem: { field: string }) => problem.field);
    expect(fields.filter((field: string) => field.startsWith('input.headers.'))).toHaveLength(2_000);
    expect(fields).toContain(`input.body.${Array.from({ length: 40 }, (_, level) => `k/${39 - level}~`).join('.')}`);
    expect((await call('GET', '/api/v1/health')).status).toBe(200);
  });
});

describe('publish warns about what is valid but probably wrong, and publishes', () => {
  it('names node and field or port for each warning', async () => {
    const call = await start();
    const graph = buildGraph(
      [
        ['start', 'start'],
        ['charge', 'step', { action: 'log', input: { message: 'charge' }, compensate: { action: 'log', input: { message: 'refund' } } }],
        ['review', 'approval', { title: 'Ship it?', assignees: { roles: ['manager'] } }],
        ['end', 'end'],
      ],
      ['start.next -> charge', 'charge.ok -> review', 'charge.error -> end', 'review.approved -> end', 'review.rejected -> end'],
    );
    await call('PUT', '/api/v1/workflows/warned', { graph });
    const published = await call('POST', '/api/v1/workflows/warned/publish', {});
    expect(published).toEqual({
      status: 201,
      body: {
        version: 1,
        warnings: [
          { code: 'NO_TIMEOUT', nodeId: 'review', field: 'timeout', message: expect.stringContaining('node "review" waits for a decision with no timeout') },
          { code: 'COMPENSATION_NEVER_RUNS', nodeId: 'charge', field: 'compensate', message: expect.stringContaining('node "charge" has a compensate action, but nothing after it can fail the run') },
        ],
      },
    });
  });
});
