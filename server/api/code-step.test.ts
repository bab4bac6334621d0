// The built-in `code` action on a real server (both databases): a function runs and its result is the
// node's output, its console lines are in the run's history (as one actionLogged entry per attempt), a
// syntax error is a publish problem naming the line and column, and a failing function fails its step
// with the line it threw at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineOfSteps } from '../testing/graphs.js';
import { until } from '../testing/harness.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
}, 60_000);
afterAll(() => t?.close());

async function publish(slug: string, steps: Parameters<typeof lineOfSteps>[0]) {
  expect((await t.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph: lineOfSteps(steps) } })).status).toBeLessThan(300);
  return t.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} });
}

async function run(slug: string, input: unknown) {
  const started = await t.call('POST', `/api/v1/workflows/${slug}/instances`, { body: { input } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  // The code runs on a sandbox thread, outside the worker's drain: wait for the run to finish.
  const id = started.body.id as string;
  let current: any;
  await until(
    async () => {
      await t.worker.drain();
      current = (await t.call('GET', `/api/v1/instances/${id}`)).body;
      return ['completed', 'failed', 'cancelled'].includes(current.status);
    },
    { timeoutMs: 30_000, what: `run ${id} to finish` },
  );
  return { run: current, history: (await t.call('GET', `/api/v1/instances/${id}/history`)).body as any[] };
}

describe('the code step', () => {
  it('runs the function on the step input, and its console lines land in the history', async () => {
    const code = 'async (input, ctx) => {\n  console.log("adding", input.items.length, "items");\n  console.warn("attempt", ctx.attempt);\n  return { total: input.items.reduce((sum, item) => sum + item.price, 0) };\n}';
    expect((await publish('totals', [{ id: 'sum', action: 'code', input: { code, input: '{{ input }}' } }])).status).toBe(201);
    const { run: finished, history } = await run('totals', { items: [{ price: 2 }, { price: 3.5 }] });
    expect(finished).toMatchObject({ status: 'completed' });
    const completed = history.find((event) => event.type === 'nodeCompleted' && event.nodeId === 'sum');
    expect(completed.data.output).toEqual({ total: 5.5 });
    const logged = history.find((event) => event.type === 'actionLogged');
    expect(logged).toMatchObject({ nodeId: 'sum', attempt: 1, data: { lines: [{ level: 'info', message: 'adding 2 items' }, { level: 'warn', message: 'attempt 1' }] } });
    expect(history.indexOf(logged)).toBeLessThan(history.indexOf(completed));
  });

  it('refuses to publish code that does not parse, naming the line and column', async () => {
    const refused = await publish('broken-code', [{ id: 'calc', action: 'code', input: { code: 'const a = 1;\nreturn a +;\n' } }]);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toMatch(/node \\"calc\\" input.code: code does not parse: Unexpected token \(line 2, column 11\)/);
  });

  it('fails the step with what the code threw and where, without retrying it', async () => {
    expect((await publish('throws', [{ id: 'calc', action: 'code', input: { code: 'const order = input.order;\nreturn order.total;', input: {} }, retry: { maxAttempts: 3 } }])).status).toBe(201);
    const { run: failed, history } = await run('throws', {});
    expect(failed.error).toMatchObject({ code: 'CODE_ERROR', nodeId: 'calc', message: expect.stringMatching(/TypeError: .*\(line 2, column \d+\)/) });
    expect(history.filter((event) => event.type === 'stepAttemptStarted')).toHaveLength(1);
  });

  it('refuses a result that is not JSON', async () => {
    expect((await publish('not-json', [{ id: 'calc', action: 'code', input: { code: 'return () => 1' } }])).status).toBe(201);
    expect((await run('not-json', {})).run.error).toMatchObject({ code: 'CODE_OUTPUT_NOT_JSON' });
  });
});
