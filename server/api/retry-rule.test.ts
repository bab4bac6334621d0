// Retry only where it can help (shared/runs/retry.ts), over REST on both databases: a run that ended
// at a fail node, or whose step input the action's schema refuses, is answered 409 naming why and
// stays as it was; a run that failed on a step error is retried.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { NonRetryableError } from '../engine/errors.js';
import { buildGraph } from '../testing/graphs.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

let calls = 0;
const book = defineAction({
  name: 'book',
  description: 'test: books a number of seats; the first call finds the ledger locked',
  input: z.object({ seats: z.number() }),
  run: () => {
    calls++;
    if (calls === 1) throw new NonRetryableError('the ledger is locked', { code: 'LOCKED' });
    return { booked: true };
  },
});

const graphs = {
  refuse: buildGraph([['start', 'start'], ['refuse', 'fail', { message: 'Refused: {{ input.why }}' }]], ['start.next -> refuse']),
  // The seats come from the run's input at run time: the validator cannot see that they are text.
  book: buildGraph([['start', 'start', { inputSchema: { type: 'object', properties: { seats: {} } } }], ['book', 'step', { action: 'book', input: { seats: '{{ input.seats }}' }, retry: { maxAttempts: 1 } }], ['end', 'end']], ['start.next -> book', 'book.ok -> end']),
};

async function failedRun(server: TestServer, slug: keyof typeof graphs, input: unknown) {
  expect((await server.call('PUT', `/api/v1/workflows/${slug}`, { body: { name: slug, graph: graphs[slug] } })).status).toBeLessThan(300);
  expect((await server.call('POST', `/api/v1/workflows/${slug}/publish`, { body: {} })).status).toBeLessThan(300);
  const { body: run } = await server.call('POST', `/api/v1/workflows/${slug}/instances`, { body: { input } });
  await server.worker.drain();
  return (await server.call('GET', `/api/v1/instances/${run.id}`)).body as { id: string; status: string; error: { code: string; nodeId: string } };
}

describe('retry over REST', () => {
  it('refuses a run that ended at a fail node or on an input the action refuses (409 naming why), and retries a step error', async () => {
    calls = 0;
    t = await startTestServer({ actions: [book] });

    const refused = await failedRun(t, 'refuse', { why: 'over budget' });
    expect(refused).toMatchObject({ status: 'failed', error: { code: 'FAILED_BY_NODE', nodeId: 'refuse' } });
    const historyBefore = (await t.call('GET', `/api/v1/instances/${refused.id}/history`)).body.length;
    const answer = await t.call('POST', `/api/v1/instances/${refused.id}/retry`, { body: {} });
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT', message: expect.stringContaining('fail node'), details: { failedWith: 'FAILED_BY_NODE' } } } });
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${refused.id}`)).body).toMatchObject({ status: 'failed', error: { code: 'FAILED_BY_NODE' } });
    expect((await t.call('GET', `/api/v1/instances/${refused.id}/history`)).body).toHaveLength(historyBefore);

    const invalid = await failedRun(t, 'book', { seats: 'two' });
    expect(invalid).toMatchObject({ status: 'failed', error: { code: 'INVALID_INPUT', nodeId: 'book' } });
    expect(await t.call('POST', `/api/v1/instances/${invalid.id}/retry`, { body: {} })).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('input schema') } } });
    expect(calls).toBe(0);

    const locked = await failedRun(t, 'book', { seats: 2 });
    expect(locked).toMatchObject({ status: 'failed', error: { code: 'LOCKED', nodeId: 'book' } });
    expect(await t.call('POST', `/api/v1/instances/${locked.id}/retry`, { body: {} })).toMatchObject({ status: 202 });
    await t.worker.drain();
    expect((await t.call('GET', `/api/v1/instances/${locked.id}`)).body).toMatchObject({ status: 'completed', error: null });
    expect(await t.call('POST', `/api/v1/instances/${locked.id}/retry`, { body: {} })).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('only a failed run can be retried') } } });
  });
});
