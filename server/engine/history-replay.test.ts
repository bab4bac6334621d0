// Recorded histories of real runs, replayed on every change: a change in execution semantics shows
// up here as a diff. After an intended change, re-record with RECORD_HISTORIES=1 and review the diff.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { graphSchema, type Graph } from '../../shared/graph/graph.schema.js';
import { defineAction } from '../actions/registry.js';
import { FakeClock } from './clock.js';
import { NonRetryableError, RetryableError } from './errors.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const example = (name: string): Graph =>
  graphSchema.parse(JSON.parse(readFileSync(fileURLToPath(new URL(`../../examples/${name}.json`, import.meta.url)), 'utf8')));

const reserve = defineAction({
  name: 'reserve',
  description: 'test: reserves stock; fails once with a retryable error',
  input: z.object({ sku: z.string() }),
  run: ({ sku }, ctx) => {
    if (ctx.attempt === 1) throw new RetryableError('warehouse busy');
    return { reservation: `r-${sku}` };
  },
});
const charge = defineAction({
  name: 'charge',
  description: 'test: declines cards ending in 0',
  input: z.object({ card: z.string() }),
  run: ({ card }) => {
    if (card.endsWith('0')) throw new NonRetryableError('card declined', { code: 'DECLINED' });
    return { payment: 'p-1' };
  },
});
const release = defineAction({ name: 'release', description: 'test', input: z.object({ reservation: z.string() }), run: ({ reservation }) => ({ released: reservation }) });

const order = buildGraph(
  [
    ['start', 'start'],
    ['reserve', 'step', { action: 'reserve', input: { sku: '{{ input.sku }}' }, retry: { delays: ['10m'] }, compensate: { action: 'release', input: { reservation: '{{ nodes.reserve.reservation }}' } } }],
    ['split', 'parallel'],
    ['pay', 'step', { action: 'charge', input: { card: '{{ input.card }}' } }],
    ['hold', 'wait', { duration: '1h' }],
    ['both', 'join'],
    ['end', 'end', { output: '{{ { "payment": nodes.pay.payment, "reservation": nodes.reserve.reservation } }}' }],
  ],
  ['start.next -> reserve', 'reserve.ok -> split', 'split.branches -> pay', 'split.branches -> hold', 'pay.ok -> both', 'hold.next -> both', 'both.next -> end'],
);

const scenarios: { name: string; graph: () => Graph; input: unknown; advance: string[] }[] = [
  { name: 'payment-retry', graph: () => example('payment-retry'), input: { subscription: 'sub_42' }, advance: ['30d'] },
  { name: 'order-paid', graph: () => order, input: { sku: 'A-1', card: '4242' }, advance: ['10m', '1h'] },
  { name: 'order-declined', graph: () => order, input: { sku: 'A-1', card: '4240' }, advance: ['10m', '1h'] },
];

describe('recorded histories', () => {
  it.each(scenarios)('$name replays to its recorded history', async ({ name, graph, input, advance }) => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    harness = await createHarness({ clock, actions: [reserve, charge, release] });
    const { versionId } = await harness.publish(graph(), name);
    const { id } = await harness.engine.startRun({ versionId, input });
    await harness.worker.drain();
    for (const step of advance) {
      clock.advance(step);
      await harness.worker.drain();
    }
    const run = await harness.engine.getRun(id);
    const recorded = JSON.parse(
      JSON.stringify({ status: run.status, output: run.output, error: run.error, history: await harness.engine.history(id) }).replaceAll(id, '<run>'),
    );
    const file = fileURLToPath(new URL(`./fixtures/histories/${name}.json`, import.meta.url));
    if (process.env.RECORD_HISTORIES === '1') writeFileSync(file, `${JSON.stringify(recorded, null, 2)}\n`);
    expect(existsSync(file), `no recorded history for ${name}: run with RECORD_HISTORIES=1 once`).toBe(true);
    expect(recorded).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
