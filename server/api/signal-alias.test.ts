// POST /api/v1/instances/:id/signal with { event, data } — the shape seed 000's curl sends — delivers
// the same signal as /signals/:name; bad bodies are refused naming `event`, nothing delivered.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const waiter = buildGraph(
  [['start', 'start'], ['approved', 'event', { event: 'expense_approved' }], ['end', 'end', { output: '{{ nodes.approved }}' }]],
  ['start.next -> approved', 'approved.received -> end'],
);

async function waitingRun(server: TestServer): Promise<string> {
  expect((await server.call('PUT', '/api/v1/workflows/waiter', { body: { name: 'Waiter', graph: waiter } })).status).toBe(201);
  expect((await server.call('POST', '/api/v1/workflows/waiter/publish', { body: {} })).status).toBe(201);
  const { body } = await server.call('POST', '/api/v1/workflows/waiter/instances', { body: { input: {} } });
  await server.worker.drain();
  return body.id as string;
}

describe('POST /api/v1/instances/:id/signal { event, data }', () => {
  it('delivers the named signal with its data, like /signals/:name (202)', async () => {
    t = await startTestServer({ clock: new FakeClock() });
    const id = await waitingRun(t);
    const sent = await t.call('POST', `/api/v1/instances/${id}/signal`, { body: { event: 'expense_approved', data: { approved_by: 'manager@example.com' } } });
    expect(sent).toMatchObject({ status: 202, body: { signalId: expect.any(String) } });
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${id}`)).body).toMatchObject({ status: 'completed', output: { approved_by: 'manager@example.com' } });
    // A finished run refuses it like the named route does.
    expect(await t.call('POST', `/api/v1/instances/${id}/signal`, { body: { event: 'expense_approved' } })).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
  });

  it('refuses a missing, empty or non-text event naming the field, a non-object body, no token and an unknown run; nothing delivered', async () => {
    t = await startTestServer({ clock: new FakeClock() });
    const id = await waitingRun(t);
    const url = `/api/v1/instances/${id}/signal`;
    for (const body of [{ data: {} }, { name: 'expense_approved', data: {} }, { event: '' }, { event: 42 }, { event: ['expense_approved'] }, { event: { $ne: 1 } }]) {
      const answer = await t.call('POST', url, { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.message, JSON.stringify(body)).toMatch(/event/);
    }
    expect(await t.call('POST', url, { body: ['expense_approved'] })).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await t.call('POST', url, { raw: '{"event": "expense_appr' })).toMatchObject({ status: 400 });
    expect(await t.call('POST', url, { body: { event: 'expense_approved' }, token: '' })).toMatchObject({ status: 401 });
    expect(await t.call('POST', '/api/v1/instances/nope/signal', { body: { event: 'expense_approved' } })).toMatchObject({ status: 404 });
    await t.worker.drain();
    expect((await t.call('GET', url.replace('/signal', ''))).body).toMatchObject({ status: 'waiting' });
    expect(await t.count('SELECT COUNT(*) AS n FROM signals')).toBe(0);
  });
});
