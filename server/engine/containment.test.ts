// A transition that throws fails its own run with ENGINE_ERROR, never the worker (issue 12). Only a
// bug or a corrupt row can make one throw, so the tests write corrupt graphs past the validator.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const plain = buildGraph([['start', 'start'], ['nap', 'wait', { duration: '1m' }], ['done', 'end', { output: '{{ "ok" }}' }]], ['start.next -> nap', 'nap.next -> done']);

describe('a transition that throws', () => {
  it('fails its run with ENGINE_ERROR at the node it was at, while other runs go on', async () => {
    const clock = new FakeClock();
    harness = await createHarness({ clock });
    // The signal's edge leads to a node the graph does not have.
    const corrupt = buildGraph([['start', 'start'], ['go', 'event', { event: 'go' }], ['done', 'end']], ['start.next -> go', 'go.received -> done']);
    corrupt.edges[1].target = 'ghost';
    const { versionId } = await harness.database.publishVersion({ slug: 'corrupt', graph: corrupt, now: clock.now() });
    const { id } = await harness.engine.startRun({ versionId, input: {} });
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).status).toBe('waiting');

    const other = await harness.publish(plain, 'plain');
    const { id: otherId } = await harness.engine.startRun({ versionId: other.versionId, input: {} });
    await harness.engine.signal(id, 'go', {});
    await harness.worker.drain();

    const failed = await harness.engine.getRun(id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'ENGINE_ERROR', nodeId: 'go', message: expect.stringMatching(/^the engine failed while handling "signalReceived": invariant: node "ghost" is not in the graph/) });
    expect((await harness.historyTypes(id)).at(-1)).toBe('runFailed:go');

    clock.advance('1m');
    await harness.worker.drain();
    expect(await harness.engine.getRun(otherId)).toMatchObject({ status: 'completed', output: 'ok' });
  });

  it("fails the run when its version's graph cannot be read at all", async () => {
    harness = await createHarness();
    const unreadable = buildGraph([['start', 'start'], ['nap', 'wait', { duration: '1m' }], ['done', 'end']], ['start.next -> nap', 'nap.next -> done']);
    (unreadable.nodes[1].config as { duration: string }).duration = 'forever';
    const { versionId } = await harness.database.publishVersion({ slug: 'unreadable', graph: unreadable, now: harness.clock.now() });
    const started = await harness.engine.startRun({ versionId, input: {} });
    await harness.worker.drain();
    expect(await harness.engine.getRun(started.id)).toMatchObject({
      status: 'failed',
      error: { code: 'ENGINE_ERROR', message: expect.stringContaining('the graph of its version cannot be read') },
    });
    // The worker still serves: a plain run completes.
    const run = await harness.run(buildGraph([['start', 'start'], ['done', 'end']], ['start.next -> done']), {}, 'plain');
    expect(run.status).toBe('completed');
  });
});
