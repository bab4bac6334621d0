// REST for an operator (issue 18) against a real server on 127.0.0.1: pause and resume, a queued
// run's position, the concurrency setting, bulk actions with preview and confirmation — and each
// route's refusals (unknown run, a finished run, bad bodies, huge limits, bad filters, a viewer).
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph } from '../testing/graphs.js';
import { until } from '../testing/harness.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

const HOUR = 3_600_000;
let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const napThenEnd = buildGraph(
  [['start', 'start'], ['nap', 'wait', { duration: '1h' }], ['hold', 'event', { event: 'go' }], ['end', 'end']],
  ['start.next -> nap', 'nap.next -> hold', 'hold.received -> end'],
);

async function publish(server: TestServer, slug: string) {
  expect((await server.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph: napThenEnd } })).status).toBeLessThan(300);
  expect((await server.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} })).status).toBe(201);
}

const statusOf = async (server: TestServer, id: string) => (await server.call('GET', `/api/v1/instances/${id}`)).body.status as string;

describe('operator REST', () => {
  it('pauses and resumes a run; refuses what cannot be done with a clear error', async () => {
    t = await startTestServer();
    await publish(t, 'ops');
    const { body: run } = await t.call('POST', '/api/v1/workflows/ops/instances', { body: { input: {} } });
    await t.worker.drain();

    expect(await t.call('POST', `/api/v1/instances/${run.id}/pause`, { body: { reason: 'supplier outage' } })).toMatchObject({ status: 202, body: { id: run.id, status: 'pausing' } });
    await t.worker.drain();
    expect(await statusOf(t, run.id)).toBe('paused');
    expect(await t.call('POST', `/api/v1/instances/${run.id}/pause`)).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT', message: `run "${run.id}" is already paused` } } });
    t.clock.advance(2 * HOUR);
    await t.worker.drain();
    expect(await statusOf(t, run.id)).toBe('paused');
    expect(await t.call('POST', `/api/v1/instances/${run.id}/resume`)).toMatchObject({ status: 202, body: { status: 'resuming' } });
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${run.id}`)).body).toMatchObject({ status: 'waiting', waitingOn: [{ nodeId: 'hold', kind: 'signal' }] });
    const history = (await t.call('GET', `/api/v1/instances/${run.id}/history`)).body as { type: string; data?: unknown }[];
    expect(history.find((event) => event.type === 'runPaused')).toMatchObject({ data: { by: 'admin-token', reason: 'supplier outage' } });

    // Hostile and impossible requests.
    expect(await t.call('POST', '/api/v1/instances/no-such-run/pause')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'no run with id "no-such-run"' } } });
    expect(await t.call('POST', '/api/v1/instances/no-such-run/resume')).toMatchObject({ status: 404 });
    expect(await t.call('POST', `/api/v1/instances/${run.id}/resume`)).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('is not paused (it is waiting)') } } });
    expect(await t.call('POST', `/api/v1/instances/${run.id}/pause`, { body: { reason: 42 } })).toMatchObject({ status: 400, body: { error: { message: 'reason must be text' } } });
    expect(await t.call('POST', `/api/v1/instances/${run.id}/pause`, { body: [1] })).toMatchObject({ status: 400 });
    expect(await t.call('POST', `/api/v1/instances/${run.id}/pause`, { raw: '{"reason":' })).toMatchObject({ status: 400 });
    expect(await t.call('POST', `/api/v1/instances/${run.id}/pause`, { body: { reason: 'x'.repeat(5_000) } })).toMatchObject({ status: 422, body: { error: { message: expect.stringContaining('reason') } } });
    expect(await t.call('POST', `/api/v1/instances/${run.id}/pause`, { token: '' })).toMatchObject({ status: 401 });
    await t.call('POST', `/api/v1/instances/${run.id}/cancel`);
    await t.worker.drain();
    expect(await t.call('POST', `/api/v1/instances/${run.id}/pause`)).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('has already cancelled') } } });
    expect(await t.call('POST', `/api/v1/instances/${run.id}/resume`)).toMatchObject({ status: 409 });
  });

  it('queues runs beyond the concurrency limit, shows their position, admits them as others finish; refuses bad limits', async () => {
    t = await startTestServer();
    await publish(t, 'limited');
    expect(await t.call('GET', '/api/v1/workflows/limited/concurrency')).toMatchObject({ status: 200, body: { limit: null, inFlight: 0, queued: 0 } });
    expect(await t.call('PUT', '/api/v1/workflows/limited/concurrency', { body: { limit: 2 } })).toMatchObject({ status: 200, body: { limit: 2 } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const started = await t.call('POST', '/api/v1/workflows/limited/instances', { body: { input: { i } } });
      expect(started.status).toBe(201);
      expect(started.body.status).toBe(i < 2 ? 'pending' : 'queued');
      ids.push(started.body.id);
    }
    await t.worker.drain();
    expect(await t.call('GET', `/api/v1/instances/${ids[4]}/queue`)).toMatchObject({ status: 200, body: { queued: true, position: 3 } });
    expect(await t.call('GET', `/api/v1/instances/${ids[0]}/queue`)).toMatchObject({ body: { queued: false, position: null } });
    expect((await t.call('GET', '/api/v1/instances?workflow=limited&status=queued')).body.runs).toHaveLength(3);
    const versions = (await t.call('GET', '/api/v1/workflows/limited/versions')).body;
    expect(versions[0].runs).toMatchObject({ queued: 3, waiting: 2 });

    await t.call('POST', `/api/v1/instances/${ids[0]}/cancel`);
    await t.worker.drain();
    expect(await statusOf(t, ids[2])).toBe('waiting');
    expect(await t.call('GET', `/api/v1/instances/${ids[4]}/queue`)).toMatchObject({ body: { position: 2 } });
    // Lifting the limit admits the rest at once.
    expect(await t.call('PUT', '/api/v1/workflows/limited/concurrency', { body: { limit: null } })).toMatchObject({ status: 200, body: { limit: null } });
    await t.worker.drain();
    expect(await t.call('GET', '/api/v1/workflows/limited/concurrency')).toMatchObject({ body: { inFlight: 4, queued: 0 } });

    for (const limit of [0, -1, 1.5, 100_001, 1e308, '5', true, {}]) {
      expect(await t.call('PUT', '/api/v1/workflows/limited/concurrency', { body: { limit } }), JSON.stringify(limit)).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('limit must be a whole number from 1 to 100,000') } } });
    }
    expect(await t.call('PUT', '/api/v1/workflows/limited/concurrency', { body: {} })).toMatchObject({ status: 400 });
    expect(await t.call('PUT', '/api/v1/workflows/nope/concurrency', { body: { limit: 3 } })).toMatchObject({ status: 404, body: { error: { message: 'no workflow "nope"' } } });
    expect(await t.call('GET', '/api/v1/instances/nope/queue')).toMatchObject({ status: 404 });
  });

  it('bulk actions: preview, confirmation, progress to the end; refusals for viewers and bad filters', async () => {
    t = await startTestServer();
    await publish(t, 'bulk');
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await t.call('POST', '/api/v1/workflows/bulk/instances', { body: { input: { i } } })).body.id);
    await t.worker.drain();
    t.clock.advance(2 * HOUR);
    await t.worker.drain();

    const preview = await t.call('POST', '/api/v1/bulk-actions/preview', { body: { action: 'pause', filter: { workflow: 'bulk', waitingAt: 'hold' } } });
    expect(preview).toMatchObject({ status: 200, body: { action: 'pause', count: 30 } });
    expect(await t.call('POST', '/api/v1/bulk-actions', { body: { action: 'pause', filter: { workflow: 'bulk', waitingAt: 'hold' } } })).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('expectedCount is required') } } });
    expect(await t.call('POST', '/api/v1/bulk-actions', { body: { action: 'pause', filter: { workflow: 'bulk' }, expectedCount: 29 } })).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('now matches 30 run(s), not the 29 confirmed') } } });
    const created = await t.call('POST', '/api/v1/bulk-actions', { body: { action: 'pause', filter: { workflow: 'bulk', waitingAt: 'hold' }, expectedCount: 30 } });
    expect(created).toMatchObject({ status: 202, body: { action: 'pause', total: 30, createdBy: 'admin-token' } });
    await until(async () => (await t!.call('GET', `/api/v1/bulk-actions/${created.body.id}`)).body.status === 'completed', { what: 'the bulk job to finish' });
    await t.worker.drain();
    expect(await t.call('GET', `/api/v1/bulk-actions/${created.body.id}`)).toMatchObject({ body: { processed: 30, succeeded: 30, skipped: 0 } });
    expect((await t.call('POST', '/api/v1/bulk-actions/preview', { body: { action: 'resume', filter: { status: 'paused' } } })).body.count).toBe(30);
    expect((await t.call('GET', '/api/v1/bulk-actions')).body).toHaveLength(1);

    // A second pause of the same runs: each is skipped, saying why.
    const again = await t.call('POST', '/api/v1/bulk-actions', { body: { action: 'pause', filter: { workflow: 'bulk' }, expectedCount: 30 } });
    await until(async () => (await t!.call('GET', `/api/v1/bulk-actions/${again.body.id}`)).body.status === 'completed', { what: 'the second job' });
    expect((await t.call('GET', `/api/v1/bulk-actions/${again.body.id}`)).body).toMatchObject({ succeeded: 0, skipped: 30, notes: { skipped: expect.arrayContaining([{ runId: ids[0], reason: `run "${ids[0]}" is already paused` }]) } });

    // A viewer (an approver's token: no runs:read, no runs:write) may neither preview nor act, whatever the filter.
    const viewer = (await t.call('POST', '/api/v1/tokens', { body: { name: 'viewer', role: 'approver' } })).body.token as string;
    expect(await t.call('POST', '/api/v1/bulk-actions', { token: viewer, body: { action: 'cancel', filter: {}, expectedCount: 30 } })).toMatchObject({ status: 403 });
    expect(await t.call('POST', '/api/v1/bulk-actions/preview', { token: viewer, body: { action: 'cancel', filter: {} } })).toMatchObject({ status: 403 });
    expect(await t.call('POST', '/api/v1/instances/x/pause', { token: viewer })).toMatchObject({ status: 403 });
    const editor = (await t.call('POST', '/api/v1/tokens', { body: { name: 'ed', role: 'editor' } })).body.token as string;
    expect(await t.call('PUT', '/api/v1/workflows/bulk/concurrency', { token: viewer, body: { limit: 1 } })).toMatchObject({ status: 403 });
    expect(await t.call('POST', '/api/v1/bulk-actions/preview', { token: editor, body: { action: 'resume', filter: {} } })).toMatchObject({ status: 200, body: { count: 30 } });

    // Bad filters and actions, each named.
    const bad: [unknown, string][] = [
      [{ action: 'delete', filter: {} }, 'action must be one of cancel, retry, pause, resume'],
      [{ action: 'cancel', filter: { status: 'sleeping' } }, 'filter.status: status must be one of'],
      [{ action: 'cancel', filter: { version: 'two' } }, 'filter.version: version must be a whole number'],
      [{ action: 'cancel', filter: { version: 1.5 } }, 'filter.version'],
      [{ action: 'cancel', filter: { startedAfter: 'yesterday' } }, 'filter.startedAfter: startedAfter must be an ISO 8601 date-time'],
      [{ action: 'cancel', filter: { startedAfter: '2026-01-02T00:00:00Z', startedBefore: '2026-01-01T00:00:00Z' } }, 'startedAfter must be earlier than startedBefore'],
      [{ action: 'cancel', filter: { owner: 'me' } }, 'unknown filter field(s): owner'],
      [{ action: 'cancel', filter: 'everything' }, 'filter'],
      [{ action: 'cancel', filter: {}, expectedCount: -1 }, 'expectedCount'],
      [{ action: 'cancel', filter: { waitingAt: 'x'.repeat(5_000) } }, 'filter.waitingAt'],
    ];
    for (const [body, message] of bad) {
      expect(await t.call('POST', '/api/v1/bulk-actions/preview', { body }), JSON.stringify(body)).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', message: expect.stringContaining(message) } } });
    }
    expect(await t.call('POST', '/api/v1/bulk-actions/preview', { body: { action: 'cancel', filter: { workflow: 'nope' } } })).toMatchObject({ status: 404 });
    expect(await t.call('GET', '/api/v1/bulk-actions/no-such-job')).toMatchObject({ status: 404, body: { error: { message: 'no bulk job with id "no-such-job"' } } });
    // Nothing was touched by the refusals: all 30 still paused.
    expect((await t.call('POST', '/api/v1/bulk-actions/preview', { body: { action: 'resume', filter: { workflow: 'bulk', status: 'paused' } } })).body.count).toBe(30);
  });
});
