// Sub-workflows that start themselves: children nest at most `subflowDepth` deep (default 10,
// CAIRN_MAX_SUBFLOW_DEPTH) and the start past it fails with SUBFLOW_DEPTH; cancelling a root
// cancels every descendant, including children whose start is in flight at that moment.
import { afterEach, describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { FakeClock } from './clock.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, until, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** start → sub (starts `slug` itself); with `handled`, its `error` port ends the run with the error. */
function chain(slug: string, { handled = false } = {}): Graph {
  return buildGraph(
    [
      ['start', 'start'],
      ['sub', 'subflow', { workflow: slug }],
      ['done', 'end', { output: '{{ nodes.sub }}' }],
      ...(handled ? [['handled', 'end', { output: '{{ { "handled": nodes.sub.error } }}' }] as [string, string, Record<string, unknown>]] : []),
    ],
    ['start.next -> sub', 'sub.ok -> done', ...(handled ? ['sub.error -> handled'] : [])],
  );
}

/** start → parallel → two subflow nodes that start `slug` itself; with `napOnError`, a refused start waits 1d. */
function fanOut(slug: string, { napOnError = false } = {}): Graph {
  const side = (id: string) => [
    [id, 'subflow', { workflow: slug }],
    [`${id}-done`, 'end'],
    ...(napOnError ? [[`${id}-nap`, 'wait', { duration: '1d' }], [`${id}-late`, 'end']] : []),
  ] as [string, string, Record<string, unknown>?][];
  const edges = (id: string) => [`split.branches -> ${id}`, `${id}.ok -> ${id}-done`, ...(napOnError ? [`${id}.error -> ${id}-nap`, `${id}-nap.next -> ${id}-late`] : [])];
  return buildGraph([['start', 'start'], ['split', 'parallel'], ...side('a'), ...side('b')], ['start.next -> split', ...edges('a'), ...edges('b')]);
}

interface RunRow {
  id: string;
  status: string;
  parent_id: string | null;
  error: string | null;
}

/** Every run in the database with its depth, computed from the parent ids. */
async function tree(h: Harness): Promise<(RunRow & { depth: number })[]> {
  const rows = await h.rows<RunRow>('SELECT id, status, parent_id, error FROM instances');
  const byId = new Map(rows.map((row) => [row.id, row]));
  const depth = (row: RunRow): number => (row.parent_id ? 1 + depth(byId.get(row.parent_id)!) : 0);
  return rows.map((row) => ({ ...row, depth: depth(row) }));
}

const errorOf = (row: RunRow) => (row.error ? (JSON.parse(row.error) as { code: string; message: string }) : null);

describe('sub-workflow depth', () => {
  it('a workflow that starts itself stops at the default 10 levels: the start past it fails with SUBFLOW_DEPTH, naming the limit and the variable', async () => {
    harness = await createHarness();
    const { versionId } = await harness.publish(chain('ouroboros'), 'ouroboros');
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();

    const runs = await tree(harness);
    expect(runs).toHaveLength(11);
    expect(Math.max(...runs.map((run) => run.depth))).toBe(10);
    expect(runs.every((run) => run.status === 'failed')).toBe(true);
    const deepest = runs.find((run) => run.depth === 10)!;
    expect(errorOf(deepest)).toMatchObject({
      code: 'SUBFLOW_DEPTH',
      message: 'sub-workflow "ouroboros" was not started: it would be 11 levels deep, and sub-workflows nest at most 10 deep (CAIRN_MAX_SUBFLOW_DEPTH)',
    });
    expect(await harness.historyTypes(deepest.id)).toContain('childStartFailed:sub');
    // The error travels up: each parent's node takes `error` with the child's error, unconnected.
    expect((await harness.engine.getRun(id)).error).toMatchObject({ code: 'SUBFLOW_DEPTH', nodeId: 'sub' });

    // The store's walk up the parents is bounded by what it is asked for.
    expect(await harness.store.runDepth(deepest.id, 100)).toBe(10);
    expect(await harness.store.runDepth(deepest.id, 4)).toBe(4);
    expect(await harness.store.runDepth(id, 10)).toBe(0);
    expect(await harness.store.runDepth('no-such-run', 10)).toBe(0);
  });

  it("with an `error` edge the deepest parent handles the refusal, and every level completes", async () => {
    harness = await createHarness();
    const { versionId } = await harness.publish(chain('careful', { handled: true }), 'careful');
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();

    const runs = await tree(harness);
    expect(runs).toHaveLength(11);
    expect(runs.every((run) => run.status === 'completed')).toBe(true);
    expect((await harness.engine.getRun(id)).output).toEqual({ handled: expect.objectContaining({ code: 'SUBFLOW_DEPTH', nodeId: 'sub', retryable: false }) });
  });

  it('a workflow that starts itself twice per level (it would explode) ends at the configured depth with a bounded number of runs', async () => {
    harness = await createHarness({ limits: { subflowDepth: 3 } });
    const { versionId } = await harness.publish(fanOut('hydra'), 'hydra');
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();

    const runs = await tree(harness);
    // 1 + 2 + 4 + 8 at most (a failing level cancels its siblings, so perhaps fewer).
    expect(runs.length).toBeLessThanOrEqual(15);
    expect(Math.max(...runs.map((run) => run.depth))).toBe(3);
    expect(runs.every((run) => run.status === 'failed' || run.status === 'cancelled')).toBe(true);
    const refused = runs.filter((run) => errorOf(run)?.code === 'SUBFLOW_DEPTH' && run.depth === 3);
    expect(refused.length).toBeGreaterThan(0);
    expect(errorOf(refused[0])!.message).toContain('it would be 4 levels deep, and sub-workflows nest at most 3 deep (CAIRN_MAX_SUBFLOW_DEPTH)');
    expect((await harness.engine.getRun(id)).error).toMatchObject({ code: 'SUBFLOW_DEPTH' });
  });
});

describe('cancelling a tree of sub-workflows', () => {
  it('cancelling the root cancels every descendant, and nothing wakes later', async () => {
    const clock = new FakeClock();
    harness = await createHarness({ clock, limits: { subflowDepth: 3 } });
    const { versionId } = await harness.publish(fanOut('hydra', { napOnError: true }), 'hydra');
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    const alive = await tree(harness);
    expect(alive).toHaveLength(15);
    expect(alive.every((run) => run.status === 'waiting')).toBe(true);

    await harness.engine.cancel(id, { by: 'ops', reason: 'runaway' });
    await harness.worker.drain();
    const runs = await tree(harness);
    expect(runs).toHaveLength(15);
    expect(runs.map((run) => run.status)).toEqual(Array(15).fill('cancelled'));
    expect(await harness.count('SELECT COUNT(*) FROM timers')).toBe(0);

    clock.advance('2d');
    await harness.worker.drain();
    expect((await tree(harness)).map((run) => run.status)).toEqual(Array(15).fill('cancelled'));
  });

  it('children whose start is in flight when the root is cancelled are cancelled once they exist, and so are theirs', async () => {
    harness = await createHarness({ limits: { subflowDepth: 3 } });
    const { versionId } = await harness.publish(fanOut('hydra', { napOnError: true }), 'hydra');
    // Hold every child start between the parent's committed startChild effect and the child's row:
    // the start looks up the workflow's active version first.
    const lookUp = harness.store.activeVersion;
    let held = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    harness.store.activeVersion = async (slug) => {
      held++;
      await gate;
      return lookUp(slug);
    };

    const { id } = await harness.engine.startRun({ versionId });
    await until(() => held === 2, { what: "the root's two child starts to be in flight" });
    expect(await harness.count('SELECT COUNT(*) FROM instances')).toBe(1);
    await harness.engine.cancel(id);
    await until(async () => (await harness!.engine.getRun(id)).status === 'cancelled', { what: 'the root to be cancelled' });

    release();
    await harness.worker.drain();
    const runs = await tree(harness);
    expect(runs.filter((run) => run.parent_id === id)).toHaveLength(2);
    expect(runs.length).toBeLessThanOrEqual(15);
    expect(runs.map((run) => run.status)).toEqual(Array(runs.length).fill('cancelled'));
    expect(await harness.count('SELECT COUNT(*) FROM timers')).toBe(0);
  });
});
