// REST v1 against the real server on 127.0.0.1: every row of DESIGN §4, success and error cases,
// the documented status codes and the error shape; nothing stored by refused requests.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { FakeClock } from '../engine/clock.js';
import { NonRetryableError } from '../engine/errors.js';
import { buildGraph } from '../testing/graphs.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const expense = buildGraph(
  [
    ['start', 'start', { inputSchema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' }, employee: { type: 'string' } } } }],
    ['review', 'approval', { title: 'Approve {{ input.amount }} EUR?', assignees: { roles: ['manager'] }, timeout: '7d' }],
    ['paid', 'end', { output: '{{ { "paid": input.amount } }}' }],
    ['refused', 'end'],
  ],
  ['start.next -> review', 'review.approved -> paid', 'review.rejected -> refused'],
);

async function published(server: TestServer, slug = 'expense', graph = expense) {
  expect((await server.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: 'Expense', graph } })).status).toBe(201);
  expect((await server.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} })).status).toBe(201);
}

const errorShape = (code: string) => ({ error: expect.objectContaining({ code, message: expect.any(String) }) });

describe('workflows', () => {
  it('PUT creates (201) and replaces (200) the draft; GET shows draft and versions', async () => {
    t = await startTestServer();
    const created = await t.call('PUT', '/api/v1/workflows/expense', { body: { name: 'Expense', graph: expense } });
    expect(created).toMatchObject({ status: 201, body: { slug: 'expense', name: 'Expense', draftRev: 1, activeVersion: null } });
    const replaced = await t.call('PUT', '/api/v1/workflows/expense', { body: { name: 'Expenses', graph: expense } });
    expect(replaced).toMatchObject({ status: 200, body: { name: 'Expenses', draftRev: 2 } });
    const got = await t.call('GET', '/api/v1/workflows/expense');
    expect(got).toMatchObject({ status: 200, body: { slug: 'expense', draftRev: 2, draft: { format: 'cairn.graph/v2' }, versions: [] } });
    expect(await t.call('GET', '/api/v1/workflows/nope')).toMatchObject({ status: 404, body: errorShape('NOT_FOUND') });
  });

  it('PUT refuses a malformed graph (422), a bad slug (400) and a stale revision (409)', async () => {
    t = await startTestServer();
    expect(await t.call('PUT', '/api/v1/workflows/x', { body: { graph: { nodes: [] } } })).toMatchObject({ status: 422, body: errorShape('INVALID_GRAPH') });
    expect(await t.call('PUT', '/api/v1/workflows/Not%20A%20Slug', { body: { graph: expense } })).toMatchObject({ status: 400, body: errorShape('BAD_REQUEST') });
    await t.call('PUT', '/api/v1/workflows/expense', { body: { graph: expense } });
    await t.call('PUT', '/api/v1/workflows/expense', { body: { graph: expense, rev: 1 } });
    const stale = await t.call('PUT', '/api/v1/workflows/expense', { body: { graph: expense, rev: 1 } });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT', details: { draftRev: 2 } } } });
    expect(await t.count('SELECT COUNT(*) AS n FROM workflows')).toBe(1);
  });

  it('two concurrent saves based on the same revision: one wins, one gets a conflict', async () => {
    t = await startTestServer();
    await t.call('PUT', '/api/v1/workflows/expense', { body: { graph: expense } });
    const saves = await Promise.all(['A', 'B'].map((name) => t!.call('PUT', '/api/v1/workflows/expense', { body: { name, graph: expense, rev: 1 } })));
    expect(saves.map((save) => save.status).sort()).toEqual([200, 409]);
    const winner = saves.find((save) => save.status === 200)!.body.name;
    expect((await t.call('GET', '/api/v1/workflows/expense')).body).toMatchObject({ name: winner, draftRev: 2 });
  });

  it('publish validates (422 with every problem), freezes versions, and an unchanged draft gives the same version', async () => {
    t = await startTestServer();
    const broken = buildGraph([['start', 'start'], ['x', 'step', { action: 'nope' }], ['lost', 'end']], ['start.next -> x']);
    await t.call('PUT', '/api/v1/workflows/broken', { body: { graph: broken } });
    const refused = await t.call('POST', '/api/v1/workflows/broken/publish', { body: {} });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('INVALID_GRAPH');
    expect(refused.body.error.details.map((problem: { code: string }) => problem.code).sort()).toEqual(['NO_OUTGOING_EDGE', 'UNKNOWN_ACTION', 'UNREACHABLE']);
    expect(await t.count('SELECT COUNT(*) AS n FROM workflow_versions')).toBe(0);

    await t.call('PUT', '/api/v1/workflows/expense', { body: { graph: expense } });
    expect(await t.call('POST', '/api/v1/workflows/expense/publish', { body: { note: 'first' } })).toMatchObject({ status: 201, body: { version: 1 } });
    expect(await t.call('POST', '/api/v1/workflows/expense/publish', { body: {} })).toMatchObject({ status: 200, body: { version: 1 } });
    expect(await t.call('POST', '/api/v1/workflows/nope/publish', { body: {} })).toMatchObject({ status: 404 });
    const versions = await t.call('GET', '/api/v1/workflows/expense/versions');
    expect(versions).toMatchObject({ status: 200, body: [{ version: 1, state: 'active', note: 'first', runs: { running: 0, waiting: 0, completed: 0, failed: 0, cancelled: 0 } }] });
    expect(versions.body[0].publishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe('instances', () => {
  it('start (201), same Idempotency-Key (200, same run), get, history', async () => {
    t = await startTestServer();
    await published(t);
    const started = await t.call('POST', '/api/v1/workflows/expense/instances', { body: { input: { amount: 42 } }, headers: { 'idempotency-key': 'exp-1' } });
    expect(started).toMatchObject({ status: 201, body: { id: expect.any(String), version: 1, status: 'waiting' } });
    const again = await t.call('POST', '/api/v1/workflows/expense/instances', { body: { input: { amount: 42 } }, headers: { 'idempotency-key': 'exp-1' } });
    expect(again).toMatchObject({ status: 200, body: { id: started.body.id } });
    const run = await t.call('GET', `/api/v1/instances/${started.body.id}`);
    expect(run).toMatchObject({
      status: 200,
      body: { id: started.body.id, workflow: 'expense', version: 1, status: 'waiting', input: { amount: 42 }, output: null, error: null, waitingOn: [expect.objectContaining({ nodeId: 'review', kind: 'approval' })] },
    });
    expect(Object.keys(run.body)).toEqual(expect.arrayContaining(['createdAt', 'updatedAt']));
    const history = await t.call('GET', `/api/v1/instances/${started.body.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.map((event: { seq: number }) => event.seq)).toEqual(history.body.map((_: unknown, index: number) => index + 1));
    expect(history.body[0]).toMatchObject({ type: 'runStarted', at: expect.stringMatching(/Z$/) });
    expect(await t.call('GET', '/api/v1/instances/nope')).toMatchObject({ status: 404, body: errorShape('NOT_FOUND') });
    expect(await t.call('GET', '/api/v1/instances/nope/history')).toMatchObject({ status: 404 });
  });

  it('bad input: malformed JSON 400, over 256 KB 413, input violating inputSchema 422 naming the field, unknown 404, unpublished 409; nothing stored', async () => {
    t = await startTestServer();
    await published(t);
    expect(await t.call('POST', '/api/v1/workflows/expense/instances', { raw: '{"input": {"amount": 4' })).toMatchObject({ status: 400, body: errorShape('BAD_REQUEST') });
    expect(await t.call('POST', '/api/v1/workflows/expense/instances', { body: { input: { note: 'x'.repeat(270_000) } } })).toMatchObject({ status: 413, body: errorShape('PAYLOAD_TOO_LARGE') });
    const invalid = await t.call('POST', '/api/v1/workflows/expense/instances', { body: { input: { amount: 'lots' } } });
    expect(invalid).toMatchObject({ status: 422, body: { error: { code: 'INVALID_INPUT', details: [{ path: '/amount' }] } } });
    expect(invalid.body.error.message).toContain('amount must be number');
    expect(await t.call('POST', '/api/v1/workflows/nope/instances', { body: { input: {} } })).toMatchObject({ status: 404 });
    await t.call('PUT', '/api/v1/workflows/draft-only', { body: { graph: expense } });
    expect(await t.call('POST', '/api/v1/workflows/draft-only/instances', { body: { input: { amount: 1 } } })).toMatchObject({ status: 409, body: errorShape('CONFLICT') });
    expect(await t.count('SELECT COUNT(*) AS n FROM instances')).toBe(0);
  });

  it('signal (202), cancel (202); a finished run refuses both (409); unknown runs 404', async () => {
    const clock = new FakeClock();
    t = await startTestServer({ clock });
    const waiter = buildGraph([['start', 'start'], ['go', 'event', { event: 'go' }], ['end', 'end', { output: '{{ nodes.go }}' }]], ['start.next -> go', 'go.received -> end']);
    await published(t, 'waiter', waiter);
    const { body: run } = await t.call('POST', '/api/v1/workflows/waiter/instances', { body: { input: {} } });
    expect(await t.call('POST', `/api/v1/instances/${run.id}/signals/go`, { body: { data: { ok: 1 } } })).toMatchObject({ status: 202, body: { signalId: expect.any(String) } });
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${run.id}`)).body).toMatchObject({ status: 'completed', output: { ok: 1 } });
    expect(await t.call('POST', `/api/v1/instances/${run.id}/signals/go`, { body: { data: {} } })).toMatchObject({ status: 409, body: errorShape('CONFLICT') });
    expect(await t.call('POST', `/api/v1/instances/${run.id}/cancel`, { body: {} })).toMatchObject({ status: 409 });
    expect(await t.call('POST', '/api/v1/instances/nope/signals/go', { body: {} })).toMatchObject({ status: 404 });
    expect(await t.call('POST', '/api/v1/instances/nope/cancel', { body: {} })).toMatchObject({ status: 404 });

    const { body: other } = await t.call('POST', '/api/v1/workflows/waiter/instances', { body: { input: {} } });
    expect(await t.call('POST', `/api/v1/instances/${other.id}/cancel`, { body: { reason: 'test' } })).toMatchObject({ status: 202 });
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${other.id}`)).body).toMatchObject({ status: 'cancelled' });
  });

  it('lists runs with filters and a cursor', async () => {
    t = await startTestServer();
    await published(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await t.call('POST', '/api/v1/workflows/expense/instances', { body: { input: { amount: i } } })).body.id);
    const first = await t.call('GET', '/api/v1/instances?workflow=expense&limit=2');
    expect(first.body.runs.map((run: { id: string }) => run.id)).toEqual([ids[4], ids[3]]);
    const second = await t.call('GET', `/api/v1/instances?workflow=expense&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.runs.map((run: { id: string }) => run.id)).toEqual([ids[2], ids[1]]);
    expect((await t.call('GET', '/api/v1/instances?status=waiting&waitingAt=review')).body.runs).toHaveLength(5);
    expect((await t.call('GET', '/api/v1/instances?status=completed')).body.runs).toHaveLength(0);
    expect(await t.call('GET', '/api/v1/instances?limit=zero')).toMatchObject({ status: 400 });
  });
});

describe('health', () => {
  it('answers without auth', async () => {
    t = await startTestServer();
    expect(await t.call('GET', '/api/v1/health', { token: '' })).toEqual(expect.objectContaining({ status: 200, body: { ok: true } }));
  });
});

describe('retry', () => {
  it('a failed run resumes from its failed step; other runs are refused', async () => {
    let calls = 0;
    const flaky = defineAction({
      name: 'flaky',
      description: 'test: fails the first time it is called',
      input: z.object({}),
      run: () => {
        calls++;
        if (calls === 1) throw new NonRetryableError('the ledger is locked', { code: 'LOCKED' });
        return { booked: true };
      },
    });
    t = await startTestServer({ actions: [flaky] });
    const graph = buildGraph([['start', 'start'], ['book', 'step', { action: 'flaky' }], ['end', 'end', { output: '{{ nodes.book }}' }]], ['start.next -> book', 'book.ok -> end']);
    await published(t, 'ledger', graph);
    const { body: run } = await t.call('POST', '/api/v1/workflows/ledger/instances', { body: { input: {} } });
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${run.id}`)).body).toMatchObject({ status: 'failed', error: { code: 'LOCKED', nodeId: 'book' } });

    expect(await t.call('POST', `/api/v1/instances/${run.id}/retry`, { body: {} })).toMatchObject({ status: 202 });
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${run.id}`)).body).toMatchObject({ status: 'completed', output: { booked: true }, error: null });
    const types = (await t.call('GET', `/api/v1/instances/${run.id}/history`)).body.map((event: { type: string }) => event.type);
    expect(types).toEqual(expect.arrayContaining(['runFailed', 'runRetried', 'runCompleted']));
    expect(await t.call('POST', `/api/v1/instances/${run.id}/retry`, { body: {} })).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('only a failed run can be retried') } } });
    expect(await t.call('POST', '/api/v1/instances/nope/retry', { body: {} })).toMatchObject({ status: 404 });
  });
});
