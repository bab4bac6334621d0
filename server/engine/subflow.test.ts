// Subflow nodes: a child run of another workflow's active version, its result taken by `ok` or
// `error`, its parent recorded, started once per node visit, and cancelled with its parent.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { buildGraph, type NodeSpec } from '../testing/graphs.js';
import { createHarness, until, type Harness } from '../testing/harness.js';

const DAY = 86_400_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Child workflows, published under their slug. */
const children = {
  echo: buildGraph(
    [['start', 'start'], ['end', 'end', { output: '{{ { "echo": input.text, "n": input.n + 1 } }}' }]],
    ['start.next -> end'],
  ),
  broken: buildGraph([['start', 'start'], ['stop', 'fail', { message: 'no stock for {{ input.text }}' }]], ['start.next -> stop']),
  slow: buildGraph(
    [['start', 'start'], ['nap', 'wait', { duration: '1d' }], ['end', 'end', { output: '{{ { "woke": $millis(), "text": input.text } }}' }]],
    ['start.next -> nap', 'nap.next -> end'],
  ),
};

/** start → sub (subflow of `workflow`) → `ok` to done, `error` to handled (unless `errorEdge` is false). */
function parent(workflow: string, { errorEdge = true } = {}) {
  return buildGraph(
    [
      ['start', 'start'],
      ['sub', 'subflow', { workflow, input: '{{ { "text": input.text, "n": 0 } }}' }],
      ['done', 'end', { output: '{{ nodes.sub }}' }],
      ...(errorEdge ? [['handled', 'end', { output: '{{ { "handled": nodes.sub.error } }}' }] as NodeSpec] : []),
    ],
    ['start.next -> sub', 'sub.ok -> done', ...(errorEdge ? ['sub.error -> handled'] : [])],
  );
}

function childRows(parentId: string) {
  return harness!.rows<{ id: string; status: string; idempotency_key: string; parent_id: string }>(
    'SELECT id, status, idempotency_key, parent_id FROM instances WHERE parent_id = ? ORDER BY created_at, id',
    parentId,
  );
}

function timerCount(instanceId: string): Promise<number> {
  return harness!.count('SELECT COUNT(*) FROM timers WHERE instance_id = ?', instanceId);
}

describe('subflow', () => {
  it("a child that completes: the parent takes `ok` with the child's output, and the child records its parent", async () => {
    harness = await createHarness();
    await harness.publish(children.echo, 'echo');
    const run = await harness.run(parent('echo'), { text: 'hello' }, 'main');

    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ echo: 'hello', n: 1 });
    const [child] = await childRows(run.id);
    expect(child).toMatchObject({ status: 'completed', parent_id: run.id, idempotency_key: `${run.id}:sub:1` });
    const childRun = await harness.engine.getRun(child.id);
    expect(childRun).toMatchObject({ parentId: run.id, workflowSlug: 'echo', input: { text: 'hello', n: 0 }, output: { echo: 'hello', n: 1 } });

    const types = await harness.historyTypes(run.id);
    expect(types.slice(types.indexOf('nodeEntered:sub'))).toEqual([
      'nodeEntered:sub',
      'childStarted:sub',
      'childFinished:sub',
      'nodeCompleted:sub',
      'nodeEntered:done',
      'nodeCompleted:done',
      'runCompleted',
    ]);
    const history = await harness.engine.history(run.id);
    expect(history.find((event) => event.type === 'childStarted')?.data).toEqual({ childId: child.id });
    expect(history.find((event) => event.type === 'childFinished')?.data).toMatchObject({ childId: child.id, status: 'completed', output: { echo: 'hello', n: 1 } });
  });

  it("a child that fails: the parent takes `error` with the child's error", async () => {
    harness = await createHarness();
    await harness.publish(children.broken, 'broken');
    const run = await harness.run(parent('broken'), { text: 'bolts' }, 'main');

    expect(run.status).toBe('completed');
    const [child] = await childRows(run.id);
    expect(child.status).toBe('failed');
    expect((await harness.engine.getRun(child.id)).error).toMatchObject({ code: 'FAILED_BY_NODE', message: 'no stock for bolts', nodeId: 'stop' });
    expect(run.output).toEqual({
      handled: expect.objectContaining({ code: 'FAILED_BY_NODE', message: 'no stock for bolts', nodeId: 'sub', childId: child.id }),
    });
  });

  it("a child that fails with no `error` edge fails the parent with the child's error", async () => {
    harness = await createHarness();
    await harness.publish(children.broken, 'broken');
    const run = await harness.run(parent('broken', { errorEdge: false }), { text: 'nuts' }, 'main');

    expect(run.status).toBe('failed');
    const [child] = await childRows(run.id);
    expect(run.error).toMatchObject({ code: 'FAILED_BY_NODE', message: 'no stock for nuts', nodeId: 'sub', childId: child.id });
  });

  it('a workflow with no published version: the parent takes `error` with NOT_FOUND naming the slug, and no child exists', async () => {
    harness = await createHarness();
    const handled = await harness.run(parent('ghost'), { text: 'x' }, 'main');
    expect(handled.status).toBe('completed');
    expect(handled.output).toEqual({ handled: expect.objectContaining({ code: 'NOT_FOUND', nodeId: 'sub', message: expect.stringContaining('"ghost"') }) });
    expect(await childRows(handled.id)).toEqual([]);
    expect(await harness.historyTypes(handled.id)).toContain('childStartFailed:sub');

    const failed = await harness.run(parent('ghost', { errorEdge: false }), { text: 'x' }, 'main');
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'NOT_FOUND', nodeId: 'sub', message: expect.stringContaining('"ghost"') });
  });

  it('a child that waits 1d: the parent waits on it, and completes once the clock moves 1d', async () => {
    const clock = new FakeClock(Date.UTC(2026, 6, 1));
    harness = await createHarness({ clock });
    await harness.publish(children.slow, 'slow');
    const { versionId } = await harness.publish(parent('slow'), 'main');
    const t0 = clock.now();
    const { id } = await harness.engine.startRun({ versionId, input: { text: 'later' } });
    await harness.worker.drain();

    const [child] = await childRows(id);
    const waiting = await harness.engine.getRun(id);
    expect(waiting.status).toBe('waiting');
    expect(waiting.waitingOn).toEqual([{ nodeId: 'sub', kind: 'child', on: child.id }]);
    expect(waiting.leaseOwner).toBeNull();
    expect((await harness.engine.getRun(child.id)).status).toBe('waiting');

    clock.advance(DAY - 1);
    await harness.worker.drain();
    expect((await harness.engine.getRun(id)).status).toBe('waiting');

    clock.advance(1);
    await harness.worker.drain();
    const done = await harness.engine.getRun(id);
    expect(done.status).toBe('completed');
    expect(done.output).toEqual({ woke: t0 + DAY, text: 'later' });
    expect((await harness.engine.getRun(child.id)).status).toBe('completed');
    expect(await childRows(id)).toHaveLength(1);
  });

  it('cancelling the parent while the child waits cancels the child and removes its timers', async () => {
    const clock = new FakeClock();
    harness = await createHarness({ clock });
    await harness.publish(children.slow, 'slow');
    const { versionId } = await harness.publish(parent('slow'), 'main');
    const { id } = await harness.engine.startRun({ versionId, input: { text: 'never' } });
    await harness.worker.drain();
    const [child] = await childRows(id);
    expect(await timerCount(child.id)).toBe(1);

    await harness.engine.cancel(id, { by: 'ops', reason: 'not needed' });
    await harness.worker.drain();

    const cancelled = await harness.engine.getRun(id);
    expect(cancelled.status).toBe('cancelled');
    const childRun = await harness.engine.getRun(child.id);
    expect(childRun.status).toBe('cancelled');
    expect(childRun.error).toMatchObject({ code: 'CANCELLED' });
    expect(await timerCount(child.id)).toBe(0);
    expect(await timerCount(id)).toBe(0);
    expect(await harness.historyTypes(child.id)).toEqual(expect.arrayContaining(['cancelRequested', 'runCancelled']));

    // Nothing wakes later: a day on, both are still cancelled and no new child appeared.
    clock.advance('2d');
    await harness.worker.drain();
    expect((await harness.engine.getRun(child.id)).status).toBe('cancelled');
    expect((await harness.engine.getRun(id)).status).toBe('cancelled');
    expect(await childRows(id)).toHaveLength(1);
  });

  it('cancelling the parent right after it starts, before the child has been admitted, still cancels the child', async () => {
    const clock = new FakeClock();
    harness = await createHarness({ clock });
    await harness.publish(children.slow, 'slow');
    const { versionId } = await harness.publish(parent('slow'), 'main');
    const { id } = await harness.engine.startRun({ versionId, input: { text: 'race' } });
    await harness.engine.cancel(id);
    await harness.worker.drain();

    expect((await harness.engine.getRun(id)).status).toBe('cancelled');
    for (const child of await childRows(id)) {
      expect(child.status).toBe('cancelled');
      expect(await timerCount(child.id)).toBe(0);
    }
  });

  it('starting is idempotent: one child per node visit, and asking again with the visit key finds the same child', async () => {
    harness = await createHarness();
    await harness.publish(children.echo, 'echo');
    // sub runs three times: each child returns n + 1, and the loop goes round while n < 3.
    const graph = buildGraph(
      [
        ['start', 'start'],
        ['sub', 'subflow', { workflow: 'echo', input: '{{ { "text": input.text, "n": $exists(nodes.sub) ? nodes.sub.n : 0 } }}' }],
        ['more', 'branch', { condition: '{{ nodes.sub.n < 3 }}' }],
        ['done', 'end', { output: '{{ nodes.sub }}' }],
      ],
      ['start.next -> sub', 'sub.ok -> more', 'more.true -> sub', 'more.false -> done'],
    );
    const run = await harness.run(graph, { text: 'loop' }, 'main');

    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ echo: 'loop', n: 3 });
    const rows = await childRows(run.id);
    expect(rows.map((row) => row.idempotency_key)).toEqual([1, 2, 3].map((visit) => `${run.id}:sub:${visit}`));
    expect(rows.every((row) => row.status === 'completed' && row.parent_id === run.id)).toBe(true);

    // What recovery does: ask again with the same visit's key; the existing child is returned.
    const again = await harness.engine.startRun({ workflow: 'echo', input: { text: 'loop', n: 0 }, idempotencyKey: `${run.id}:sub:1`, parentId: run.id });
    expect(again).toMatchObject({ id: rows[0].id, created: false });
    expect(await childRows(run.id)).toHaveLength(3);
  });
});

describe('children wake their parents without a drain', () => {
  it('a child finishing posts to its parent, and the worker picks it up on its own', async () => {
    const clock = new FakeClock();
    const h = await createHarness({ clock });
    try {
      await h.publish(buildGraph([['start', 'start'], ['end', 'end', { output: '{{ 7 }}' }]], ['start.next -> end']), 'seven');
      const { versionId } = await h.publish(buildGraph([['start', 'start'], ['sub', 'subflow', { workflow: 'seven' }], ['end', 'end', { output: '{{ nodes.sub }}' }]], ['start.next -> sub', 'sub.ok -> end']), 'parent');
      const { id } = await h.engine.startRun({ versionId });
      await until(async () => (await h.engine.getRun(id)).status === 'completed', { what: 'the parent to complete' });
      expect((await h.engine.getRun(id)).output).toBe(7);
    } finally {
      await h.close();
    }
  });
});
