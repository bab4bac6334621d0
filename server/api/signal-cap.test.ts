// The signal cap over REST: a run holds at most 1,000 signals and 1 MB of their data that no event
// node has taken; past it the sender gets a 409 naming the limit, nothing is stored, and every
// signal accepted before is still delivered, in order.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
import { startTestServer, type TestServer } from '../testing/server-harness.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Waits a day, then takes "chunk" signals until one says it is the last; ends with every size seen. */
const collector = buildGraph(
  [
    ['start', 'start'],
    ['later', 'wait', { duration: '1d' }],
    ['take', 'event', { event: 'chunk' }],
    ['more', 'branch', { condition: '{{ nodes.take.last = true }}' }],
    ['done', 'end', { output: '{{ nodes.take.n }}' }],
  ],
  ['start.next -> later', 'later.next -> take', 'take.received -> more', 'more.false -> take', 'more.true -> done'],
);

describe('POST /api/v1/instances/:id/signals/:name past the cap', () => {
  it('answers 409 naming the limit and stores nothing; the accepted signals all arrive, in order', async () => {
    const clock = new FakeClock();
    t = await startTestServer({ clock });
    expect((await t.call('PUT', '/api/v1/workflows/collector', { body: { graph: collector } })).status).toBe(201);
    expect((await t.call('POST', '/api/v1/workflows/collector/publish', { body: {} })).status).toBe(201);
    const started = await t.call('POST', '/api/v1/workflows/collector/instances', { body: { input: {} } });
    expect(started.status).toBe(201);
    const runId = started.body.id as string;

    // Four signals of 250 KB of data each fit in 1 MB (each alone is under the 256 KB limit)...
    const chunk = (n: number, last = false) => ({ data: { n, last, pad: 'x'.repeat(250 * 1024 - 40) } });
    for (const n of [1, 2, 3]) expect(await t.call('POST', `/api/v1/instances/${runId}/signals/chunk`, { body: chunk(n) })).toMatchObject({ status: 202 });
    expect(await t.call('POST', `/api/v1/instances/${runId}/signals/chunk`, { body: chunk(4, true) })).toMatchObject({ status: 202 });
    // ... a fifth does not.
    const refused = await t.call('POST', `/api/v1/instances/${runId}/signals/chunk`, { body: chunk(5) });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already holds 4 signal\(s\) \(1000\.\d KB\) that no event node has taken, and a run holds at most 1,000 signals and 1 MB; signal "chunk" was not stored/),
      details: { limit: 'bufferedSignals', held: { count: 4 }, max: { count: 1_000, bytes: 1024 * 1024 } },
    });
    expect(await t.count(`SELECT COUNT(*) AS n FROM signals WHERE instance_id = '${runId}'`)).toBe(4);

    // A bad name and a missing run are still what they were.
    expect(await t.call('POST', `/api/v1/instances/${runId}/signals/%20`, { body: {} })).toMatchObject({ status: 422 });
    expect(await t.call('POST', '/api/v1/instances/nope/signals/chunk', { body: chunk(6) })).toMatchObject({ status: 404 });

    clock.advance('1d');
    await t.worker.drain();
    const run = await t.call('GET', `/api/v1/instances/${runId}`);
    expect(run.body).toMatchObject({ status: 'completed', output: 4 });
    const history = (await t.call('GET', `/api/v1/instances/${runId}/history`)).body as { type: string; nodeId?: string; data: { output: { n: number } } }[];
    const taken = history.filter((event) => event.type === 'nodeCompleted' && event.nodeId === 'take').map((event) => event.data.output.n);
    expect(taken).toEqual([1, 2, 3, 4]);

    // Once taken, there is room again (the run has finished here, so it is refused for that instead).
    const after = await t.call('POST', `/api/v1/instances/${runId}/signals/chunk`, { body: chunk(7) });
    expect(after).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('has already completed') } } });
  });
});
