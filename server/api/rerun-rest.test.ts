// REST POST /api/v1/instances/:id/rerun against a real server (both databases): a run that failed at
// step 4 of 6 (a server on 127.0.0.1 that fails, then recovers) is rerun from step 4; steps 1–3 are not
// called again, and each run's history names the other. Hostile and unauthorised calls change nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { countingServer, sixCalls, type CountingServer } from '../testing/counting-server.js';
import { lineOfSteps } from '../testing/graphs.js';
import { until } from '../testing/harness.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
let endpoint: CountingServer | undefined;
afterEach(async () => {
  await t?.close();
  await endpoint?.close();
  t = endpoint = undefined;
});

async function failedRun() {
  endpoint = await countingServer(['/s4']);
  t = await startTestServer({ httpAllow: ['127.0.0.1'] });
  expect((await t.call('PUT', '/api/v1/workflows/orders', { body: { name: 'Orders', graph: lineOfSteps(sixCalls(endpoint.url)) } })).status).toBeLessThan(300);
  expect((await t.call('POST', '/api/v1/workflows/orders/publish', { body: {} })).status).toBe(201);
  const started = await t.call('POST', '/api/v1/workflows/orders/instances', { body: { input: { order: 'R-7' } } });
  const id = started.body.id as string;
  const server = t;
  await until(async () => (await server.call('GET', `/api/v1/instances/${id}`)).body.status === 'failed', { what: 'the run to fail at s4' });
  return { t: server, endpoint, id };
}

describe('POST /api/v1/instances/:id/rerun', () => {
  it('reruns a run failed at step 4 of 6 from step 4: steps 1–3 are not called again, the new run completes, and the runs link both ways', async () => {
    const { t, endpoint, id } = await failedRun();
    expect(endpoint.counts).toEqual({ '/s1': 1, '/s2': 1, '/s3': 1, '/s4': 1 });
    endpoint.failing.delete('/s4');

    const rerun = await t.call('POST', `/api/v1/instances/${id}/rerun`, { body: { fromNode: 's4' } });
    expect(rerun.status).toBe(201);
    expect(rerun.body).toMatchObject({ rerunOf: id, fromNode: 's4', version: 1, reused: ['start', 's1', 's2', 's3'] });
    const newId = rerun.body.id as string;
    await until(async () => (await t.call('GET', `/api/v1/instances/${newId}`)).body.status === 'completed', { what: 'the rerun to complete' });
    expect(endpoint.counts).toEqual({ '/s1': 1, '/s2': 1, '/s3': 1, '/s4': 2, '/s5': 1, '/s6': 1 });

    const newHistory = (await t.call('GET', `/api/v1/instances/${newId}/history`)).body;
    const oldHistory = (await t.call('GET', `/api/v1/instances/${id}/history`)).body;
    const events = (body: unknown) => (Array.isArray(body) ? body : (body as { events: unknown[] }).events) as { type: string; data?: Record<string, unknown> }[];
    expect(events(newHistory)[0]).toMatchObject({ type: 'runStarted', data: { rerunOf: { runId: id, fromNode: 's4' } } });
    expect(events(oldHistory).find((event) => event.type === 'rerunStarted')).toMatchObject({ data: { runId: newId, fromNode: 's4', by: expect.any(String) } });
  });

  it('refuses hostile and unauthorised reruns with the status and words that fit, and starts nothing', async () => {
    const { t, id } = await failedRun();
    const token = await t.call('POST', '/api/v1/tokens', { body: { name: 'viewer', role: 'approver' } });
    const viewer = token.body.token as string;
    const cases: [string, unknown, number, RegExp, string?][] = [
      ['unknown run', { fromNode: 's4' }, 404, /no run with id "nope"/, 'nope'],
      ['unknown node', { fromNode: 'ghost' }, 404, /has no node "ghost"/],
      ['node never reached', { fromNode: 's6' }, 409, /never reached node "s6"/],
      ['no fromNode', {}, 422, /fromNode must be the id of a node/],
      ['fromNode not text', { fromNode: 42 }, 422, /fromNode/],
      ['fromNode with a path in it', { fromNode: '../../etc/passwd' }, 422, /fromNode/],
      ['bad onVersion', { fromNode: 's4', onVersion: 'latest' }, 422, /onVersion must be "same"/],
      ['unknown field', { fromNode: 's4', from: 's1' }, 400, /unknown field\(s\) "from"/],
      ['input for a node that takes none', { fromNode: 'start', input: { x: 1 } }, 422, /takes no input/],
    ];
    for (const [what, body, status, message, runId] of cases) {
      const answer = await t.call('POST', `/api/v1/instances/${runId ?? id}/rerun`, { body });
      expect(answer.status, what).toBe(status);
      expect(answer.body.error.message, what).toMatch(message);
    }
    expect((await t.call('POST', `/api/v1/instances/${id}/rerun`, { raw: '[1,2]' })).status).toBe(400);
    expect((await t.call('POST', `/api/v1/instances/${id}/rerun`, { token: viewer, body: { fromNode: 's4' } })).status).toBe(403);
    expect((await t.call('POST', `/api/v1/instances/${id}/rerun`, { token: '', body: { fromNode: 's4' } })).status).toBe(401);

    // A run still going is refused (409) and keeps going.
    const waiting = await t.call('PUT', '/api/v1/workflows/waits', {
      body: { name: 'Waits', graph: { format: 'cairn.graph/v1', nodes: [{ id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} }, { id: 'hold', kind: 'event', position: { x: 200, y: 0 }, config: { event: 'go' } }, { id: 'end', kind: 'end', position: { x: 400, y: 0 }, config: {} }], edges: [{ id: 'a', source: 'start', sourcePort: 'next', target: 'hold' }, { id: 'b', source: 'hold', sourcePort: 'received', target: 'end' }] } },
    });
    expect(waiting.status).toBeLessThan(300);
    await t.call('POST', '/api/v1/workflows/waits/publish', { body: {} });
    const holdId = (await t.call('POST', '/api/v1/workflows/waits/instances', { body: { input: {} } })).body.id as string;
    await until(async () => (await t.call('GET', `/api/v1/instances/${holdId}`)).body.status === 'waiting', { what: 'the run to wait' });
    const running = await t.call('POST', `/api/v1/instances/${holdId}/rerun`, { body: { fromNode: 'hold' } });
    expect(running.status).toBe(409);
    expect(running.body.error.message).toMatch(/is waiting; only a finished run/);

    expect(await t.count('SELECT COUNT(*) AS n FROM instances')).toBe(2);
    const history = (await t.call('GET', `/api/v1/instances/${id}/history`)).body;
    expect(JSON.stringify(history)).not.toContain('rerunStarted');
  });
});
