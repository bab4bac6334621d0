// DESIGN §2 in the engine: text without {{ }} is literal in every field (`end.output: "approved"`
// is the word), `{{ … }}` is evaluated; and a version stored in format v1, whose expression fields
// held bare JSONata, is read through the upgrade and runs as it always did.
import { afterEach, describe, expect, it } from 'vitest';
import { GRAPH_FORMAT_V1 } from '../../shared/graph/upgrade.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** start → big? (branch) → "big" or "small" (ends). */
const sized = (condition: string, outputs: { big: string; small: string }) =>
  buildGraph(
    [['start', 'start'], ['check', 'branch', { condition }], ['big', 'end', { output: outputs.big }], ['small', 'end', { output: outputs.small }]],
    ['start.next -> check', 'check.true -> big', 'check.false -> small'],
  );

describe('literal values and expressions', () => {
  it('end.output "approved" completes with the output "approved"', async () => {
    harness = await createHarness();
    const graph = buildGraph([['start', 'start'], ['done', 'end', { output: 'approved' }]], ['start.next -> done']);
    expect(await harness.run(graph, { approved: 'not this' })).toMatchObject({ status: 'completed', output: 'approved' });
  });

  it('{{ input.x }} is still evaluated, keeping its type, and text around it makes a string', async () => {
    harness = await createHarness();
    const graph = sized('{{ input.x > 1 }}', { big: '{{ input.x }}', small: 'x is {{ input.x }}' });
    expect(await harness.run(graph, { x: 5 })).toMatchObject({ status: 'completed', output: 5 });
    expect(await harness.run(graph, { x: 0 })).toMatchObject({ status: 'completed', output: 'x is 0' });
  });

  it('approval data and sub-workflow input given as text are that text', async () => {
    harness = await createHarness();
    const child = buildGraph([['start', 'start'], ['done', 'end', { output: '{{ input }}' }]], ['start.next -> done']);
    await harness.publish(child, 'child');
    const parent = buildGraph(
      [['start', 'start'], ['sub', 'subflow', { workflow: 'child', input: 'input.amount' }], ['done', 'end', { output: '{{ nodes.sub }}' }]],
      ['start.next -> sub', 'sub.ok -> done', 'sub.error -> done'],
    );
    expect(await harness.run(parent, { amount: 3 }, 'parent')).toMatchObject({ status: 'completed', output: 'input.amount' });

    const review = buildGraph(
      [['start', 'start'], ['review', 'approval', { title: 'Pay?', data: 'nodes.receipt', assignees: { roles: ['manager'] }, timeout: '1d' }], ['done', 'end']],
      ['start.next -> review', 'review.approved -> done', 'review.rejected -> done', 'review.timeout -> done'],
    );
    const waiting = await harness.run(review, {}, 'review');
    expect(waiting.status).toBe('waiting');
    const entered = (await harness.engine.history(waiting.id)).find((event) => event.type === 'nodeEntered' && event.nodeId === 'review');
    expect(entered?.data).toMatchObject({ title: 'Pay?', data: 'nodes.receipt' });
  });
});

describe('a version stored in format v1', () => {
  // As Cairn wrote it before format v2: bare JSONata in branch.condition and end.output.
  const v1 = () => ({ ...sized('input.amount > 100', { big: '"big"', small: '{"size": "small", "amount": input.amount}' }), format: GRAPH_FORMAT_V1 });

  it('runs as it always did: the bare condition is evaluated and takes the same branch', async () => {
    harness = await createHarness();
    const stored = v1();
    // Stored as it was, bytes and all: the version reader upgrades it when the engine loads it.
    const { versionId } = await harness.database.publishVersion({ slug: 'legacy', graph: stored as never, now: harness.clock.now() });
    const small = await harness.engine.startRun({ versionId, input: { amount: 50 } });
    const big = await harness.engine.startRun({ versionId, input: { amount: 150 } });
    await harness.worker.drain();
    expect(await harness.engine.getRun(small.id)).toMatchObject({ status: 'completed', output: { size: 'small', amount: 50 } });
    expect(await harness.engine.getRun(big.id)).toMatchObject({ status: 'completed', output: 'big' });
    const placeholder = harness.database.dialect === 'sqlite' ? '?' : '$1';
    expect(JSON.parse(await harness.database.scalar<string>(`SELECT graph FROM workflow_versions WHERE id = ${placeholder}`, versionId))).toEqual(stored);
  });

  it('would mean something else read as v2 (the literal rule), which is why the format says which it is', async () => {
    harness = await createHarness();
    const { versionId } = await harness.database.publishVersion({ slug: 'literal', graph: { ...v1(), format: 'cairn.graph/v2' } as never, now: harness.clock.now() });
    const run = await harness.engine.startRun({ versionId, input: { amount: 50 } });
    await harness.worker.drain();
    // The text "input.amount > 100" is truthy, and '"big"' is that text, quotes included.
    expect(await harness.engine.getRun(run.id)).toMatchObject({ status: 'completed', output: '"big"' });
  });
});
