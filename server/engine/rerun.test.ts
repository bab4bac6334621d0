// Rerun from a step (runner/rerun.ts, core/rerun.ts) on the real engine and database: a run that
// failed at step 4 of 6 against a real HTTP server on 127.0.0.1 is rerun from step 4 once the
// endpoint recovers; the steps before it are not called again, and both runs name each other.
import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph, lineOfSteps } from '../testing/graphs.js';
import { countingServer, sixCalls, type CountingServer } from '../testing/counting-server.js';
import { createHarness, type Harness } from '../testing/harness.js';
import { EngineError } from './errors.js';
import { rerunFrom, type RerunRequest } from './runner/rerun.js';

let harness: Harness | undefined;
let server: CountingServer | undefined;
afterEach(async () => {
  await harness?.close();
  await server?.close();
  harness = server = undefined;
});

async function failedAtStep4() {
  server = await countingServer(['/s4']);
  harness = await createHarness({ httpAllow: ['127.0.0.1'] });
  const { versionId } = await harness.publish(lineOfSteps(sixCalls(server.url)), 'orders');
  const { id } = await harness.engine.startRun({ versionId, input: { order: 'A-1' } });
  await harness.worker.drain();
  return { h: harness, srv: server, failed: await harness.engine.getRun(id) };
}

const rerun = (h: Harness, request: RerunRequest) => rerunFrom({ store: h.store, admission: h.worker, clock: h.clock }, request);

async function refusal(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('rerun from a step', () => {
  it('a run failed at step 4 of 6 reruns from step 4 after the endpoint recovers: steps 1–3 are not called again, the rerun completes, and the runs link both ways', async () => {
    const { h, srv, failed } = await failedAtStep4();
    expect(failed.status).toBe('failed');
    expect(failed.error?.nodeId).toBe('s4');
    expect(srv.counts).toEqual({ '/s1': 1, '/s2': 1, '/s3': 1, '/s4': 1 });

    srv.failing.delete('/s4');
    const started = await rerun(h, { runId: failed.id, fromNode: 's4', by: 'ada' });
    expect(started).toMatchObject({ rerunOf: failed.id, fromNode: 's4', version: 1, reused: ['start', 's1', 's2', 's3'] });
    await h.worker.drain();

    const again = await h.engine.getRun(started.id);
    expect(again.status).toBe('completed');
    expect(srv.counts).toEqual({ '/s1': 1, '/s2': 1, '/s3': 1, '/s4': 2, '/s5': 1, '/s6': 1 });
    // The reused outputs are what later expressions see: s4 read s3's recorded answer, s5 read s1's.
    expect(srv.bodies['/s4'][1]).toEqual({ prev: '/s3', first: 'A-1' });
    expect(srv.bodies['/s5'][0]).toEqual({ prev: '/s4', first: 'A-1' });

    const newHistory = await h.engine.history(started.id);
    expect(newHistory[0]).toMatchObject({ type: 'runStarted', data: { rerunOf: { runId: failed.id, fromNode: 's4', reused: ['start', 's1', 's2', 's3'], inputChanged: false } } });
    expect(newHistory.filter((event) => event.type === 'nodeEntered').map((event) => event.nodeId)).toEqual(['s4', 's5', 's6', 'end']);
    const oldHistory = await h.engine.history(failed.id);
    expect(oldHistory.at(-1)).toMatchObject({ type: 'rerunStarted', seq: failed.historyCount + 1, data: { runId: started.id, fromNode: 's4', by: 'ada' } });
    // The earlier run is as it was, apart from the one event.
    expect(await h.engine.getRun(failed.id)).toMatchObject({ status: 'failed', error: failed.error, output: failed.output, historyCount: failed.historyCount + 1 });
  });

  it('with a changed input for X, X gets that input once and the steps before it are still not called', async () => {
    const { h, srv, failed } = await failedAtStep4();
    const started = await rerun(h, { runId: failed.id, fromNode: 's4', input: { value: { method: 'POST', url: `${srv.url}/s4-fixed`, body: { fixed: true } } } });
    await h.worker.drain();
    expect((await h.engine.getRun(started.id)).status).toBe('completed');
    expect(srv.counts).toMatchObject({ '/s1': 1, '/s2': 1, '/s3': 1, '/s4': 1, '/s4-fixed': 1, '/s5': 1 });
    expect(srv.bodies['/s4-fixed']).toEqual([{ fixed: true }]);
    const entered = (await h.engine.history(started.id)).find((event) => event.type === 'nodeEntered' && event.nodeId === 's4');
    expect(entered?.data).toMatchObject({ input: { url: `${srv.url}/s4-fixed` } });
  });

  it('a completed run reruns from its middle, on the active version when its node ids match', async () => {
    server = await countingServer();
    harness = await createHarness({ httpAllow: ['127.0.0.1'] });
    const steps = sixCalls(server.url, 3);
    await harness.publish(lineOfSteps(steps), 'orders');
    const done = await harness.engine.getRun((await harness.engine.startRun({ workflow: 'orders', input: { order: 'B' } })).id);
    await harness.worker.drain();
    // Version 2 changes s3's endpoint but keeps the node ids.
    await harness.publish(lineOfSteps(steps.map((step) => (step.id === 's3' ? { ...step, input: { ...step.input, url: `${server!.url}/s3-v2` } } : step))), 'orders');
    const started = await rerun(harness, { runId: done.id, fromNode: 's3', onVersion: 'active' });
    await harness.worker.drain();
    expect(started.version).toBe(2);
    expect((await harness.engine.getRun(started.id)).status).toBe('completed');
    expect(server.counts).toEqual({ '/s1': 1, '/s2': 1, '/s3': 1, '/s3-v2': 1 });
  });

  it('refuses what cannot be rerun, naming why, and leaves every run as it was', async () => {
    const { h, failed } = await failedAtStep4();
    const before = await h.engine.history(failed.id);

    expect((await refusal(rerun(h, { runId: 'no-such-run', fromNode: 's4' }))).code).toBe('NOT_FOUND');
    const unknown = await refusal(rerun(h, { runId: failed.id, fromNode: 'nope' }));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toMatch(/no node "nope"; its nodes are start, s1/);
    const never = await refusal(rerun(h, { runId: failed.id, fromNode: 's5' }));
    expect(never.code).toBe('CONFLICT');
    expect(never.message).toMatch(/never reached node "s5".*reached start, s1, s2, s3, s4/);
    const noInput = await refusal(rerun(h, { runId: failed.id, fromNode: 'start', input: { value: {} } }));
    expect(noInput.message).toMatch(/start node, which takes no input/);
    const huge = await refusal(rerun(h, { runId: failed.id, fromNode: 's4', input: { value: { blob: 'x'.repeat(300 * 1024) } } }));
    expect(huge.code).toBe('PAYLOAD_TOO_LARGE');
    // A graph whose ids differ: the active version lacks s4.
    await h.publish(lineOfSteps(sixCalls(server!.url).filter((step) => step.id !== 's4').map((step) => ({ ...step, id: step.id === 's5' ? 'five' : step.id, input: { method: 'POST', url: `${server!.url}/x` } }))), 'orders');
    const gone = await refusal(rerun(h, { runId: failed.id, fromNode: 's4', onVersion: 'active' }));
    expect(gone.message).toMatch(/version 2 .* "s4" \(gone\)/);

    // A run still going (it waits for a signal) is refused; so is a join, and a branch of a parallel.
    const waitGraph = buildGraph([['start', 'start'], ['hold', 'event', { event: 'go' }], ['end', 'end']], ['start.next -> hold', 'hold.received -> end']);
    const { versionId } = await h.publish(waitGraph, 'waits');
    const { id: waitingId } = await h.engine.startRun({ versionId });
    await h.worker.drain();
    const running = await refusal(rerun(h, { runId: waitingId, fromNode: 'hold' }));
    expect(running.code).toBe('CONFLICT');
    expect(running.message).toMatch(/is waiting; only a finished run/);

    const forked = buildGraph(
      [['start', 'start'], ['split', 'parallel'], ['left', 'event', { event: 'left' }], ['right', 'wait', { duration: '1h' }], ['both', 'join'], ['end', 'end']],
      ['start.next -> split', 'split.branches -> left', 'split.branches -> right', 'left.received -> both', 'right.next -> both', 'both.next -> end'],
    );
    const fork = await h.publish(forked, 'forks');
    const { id: forkId } = await h.engine.startRun({ versionId: fork.versionId });
    await h.worker.drain();
    await h.engine.cancel(forkId);
    await h.worker.drain();
    expect((await refusal(rerun(h, { runId: forkId, fromNode: 'right' }))).message).toMatch(/other paths were in flight \(left\)/);

    expect(await h.engine.history(failed.id)).toEqual(before);
    expect(await h.count('SELECT COUNT(*) FROM instances')).toBe(3);
  });

  it('two reruns computed from the same state of a run make one new run', async () => {
    const { h, failed } = await failedAtStep4();
    const outcomes = await Promise.allSettled([rerun(h, { runId: failed.id, fromNode: 's4' }), rerun(h, { runId: failed.id, fromNode: 's4' })]);
    const made = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(made.length).toBeGreaterThanOrEqual(1);
    await h.worker.drain();
    const links = (await h.engine.history(failed.id)).filter((event) => event.type === 'rerunStarted');
    // Each new run is linked back, exactly once.
    expect(links.length).toBe(made.length);
    expect(await h.count('SELECT COUNT(*) FROM instances')).toBe(1 + made.length);
  });
});
