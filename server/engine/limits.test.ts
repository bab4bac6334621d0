// Bad input and limits: each is a clear error naming what is wrong, and no run is lost or half-made.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { EngineError } from './errors.js';
import { buildGraph, lineOfSteps } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const countRuns = (h: Harness) => h.count('SELECT COUNT(*) FROM instances');

const expenseGraph = buildGraph(
  [
    ['start', 'start', { inputSchema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number', minimum: 0 } } } }],
    ['end', 'end', { output: '{{ input.amount }}' }],
  ],
  ['start.next -> end'],
);

describe('starting runs', () => {
  it('input violating inputSchema is refused naming the field, and nothing is stored', async () => {
    harness = await createHarness();
    const { versionId } = await harness.publish(expenseGraph);
    const refused = await harness.engine.startRun({ versionId, input: { amount: 'lots' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EngineError);
    expect(refused).toMatchObject({ code: 'INVALID_INPUT', details: [{ path: '/amount' }] });
    expect((refused as Error).message).toContain('amount must be number');
    const missing = await harness.engine.startRun({ versionId, input: {} }).catch((error: unknown) => error);
    expect((missing as Error).message).toContain('amount is required');
    expect(await countRuns(harness)).toBe(0);
  });

  it('an input over 256 KB is refused; an unknown workflow is not found', async () => {
    harness = await createHarness();
    const { versionId } = await harness.publish(lineOfSteps([]));
    await expect(harness.engine.startRun({ versionId, input: { blob: 'x'.repeat(262_144) } })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(harness.engine.startRun({ workflow: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'workflow "nope" has no published version' });
    expect(await countRuns(harness)).toBe(0);
  });

  it('the same idempotency key starts one run', async () => {
    harness = await createHarness();
    await harness.publish(expenseGraph, 'expense');
    const first = await harness.engine.startRun({ workflow: 'expense', input: { amount: 5 }, idempotencyKey: 'order-7' });
    const again = await harness.engine.startRun({ workflow: 'expense', input: { amount: 5 }, idempotencyKey: 'order-7' });
    const [a, b] = await Promise.all(
      ['order-8', 'order-8'].map((idempotencyKey) => harness!.engine.startRun({ workflow: 'expense', input: { amount: 1 }, idempotencyKey })),
    );
    expect(first.created).toBe(true);
    expect(again).toEqual({ ...first, created: false, status: 'completed' });
    expect(a.id).toBe(b.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(await countRuns(harness)).toBe(2);
  });
});

describe('failures inside a run name the node and keep the run', () => {
  it('a step whose output is over 256 KB fails the step with PAYLOAD_TOO_LARGE', async () => {
    const big = defineAction({ name: 'big', description: 'test', input: z.object({}), run: () => ({ blob: 'x'.repeat(300_000) }) });
    harness = await createHarness({ actions: [big] });
    const run = await harness.run(lineOfSteps([{ id: 'fetch', action: 'big', retry: { maxAttempts: 3 } }]));
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', nodeId: 'fetch', retryable: false });
    expect(run.error?.message).toMatch(/node "fetch" output is 293\.0 KB, over the 256\.0 KB limit/);
    // The oversized value is not kept anywhere: the node's output is the error.
    expect(run.state.outputs.fetch).toEqual({ error: expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }) });
    expect(JSON.stringify(await harness.engine.history(run.id)).length).toBeLessThan(10_000);
  });

  it('an expression that throws fails the run naming the node and field', async () => {
    harness = await createHarness();
    const graph = lineOfSteps([{ id: 'greet', action: 'log', input: { message: '{{ $error("no name given") }}' } }]);
    const run = await harness.run(graph);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'EXPRESSION_FAILED', nodeId: 'greet' });
    expect(run.error?.message).toContain('node "greet" input');
    expect(run.error?.message).toContain('no name given');
  });

  it('an action no longer registered, or input its schema refuses, fails without retrying', async () => {
    harness = await createHarness();
    // Published around the validator, as if the action had been removed since.
    const { versionId } = await harness.database.publishVersion({ slug: 'old', graph: lineOfSteps([{ id: 'ship', action: 'warehouse.ship' }]), now: harness.clock.now() });
    const { id } = await harness.engine.startRun({ versionId });
    await harness.worker.drain();
    const run = await harness.engine.getRun(id);
    expect(run.error).toMatchObject({ code: 'UNKNOWN_ACTION', nodeId: 'ship' });
    expect(run.error?.message).toMatch(/^node "ship": no action named "warehouse.ship" is loaded; if it is a team action, its module is no longer in the actions folder/);

    const bad = await harness.run(lineOfSteps([{ id: 'call', action: 'http.request', input: { url: 'not a url' } }]));
    expect(bad.error).toMatchObject({ code: 'INVALID_INPUT', nodeId: 'call' });
    expect(bad.error?.message).toContain('url');
    expect((await harness.historyTypes(bad.id)).filter((type) => type === 'stepAttemptStarted:call')).toHaveLength(1);
  });

  it('an endless loop stops at the visit limit', async () => {
    harness = await createHarness();
    const graph = buildGraph(
      [['start', 'start'], ['again', 'branch', { condition: '{{ true }}' }], ['end', 'end']],
      ['start.next -> again', 'again.true -> again', 'again.false -> end'],
    );
    const run = await harness.run(graph);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'VISIT_LIMIT', nodeId: 'again' });
    expect(run.error?.message).toContain('more than 1,000 times');
  });

  it('a run reaching the history limit fails clearly', async () => {
    harness = await createHarness({ limits: { historyEvents: 40 } });
    const graph = buildGraph(
      [['start', 'start'], ['tick', 'step', { action: 'log', input: { message: 'tick' } }], ['again', 'branch', { condition: '{{ true }}' }], ['end', 'end']],
      ['start.next -> tick', 'tick.ok -> again', 'again.true -> tick', 'again.false -> end'],
    );
    const run = await harness.run(graph);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'HISTORY_LIMIT' });
    expect(run.historyCount).toBeGreaterThanOrEqual(40);
    expect(run.historyCount).toBeLessThan(50);
  });
});
