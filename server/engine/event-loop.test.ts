// Steps whose actions return at once must not hold Node's event loop (issue 21): a burst of them
// used to run start to finish in one stretch of promise callbacks, while HTTP requests, timers and
// lease renewals waited for all of it. The loop budget (runner/loop-turns.ts) lets the loop turn.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { lineOfSteps } from '../testing/graphs.js';
import { createHarness, type Harness } from '../testing/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const addOne = defineAction({
  name: 'test.addOne',
  description: 'Adds 1 to its input, at once.',
  input: z.object({ value: z.number() }),
  run: ({ value }) => ({ value: value + 1 }),
});

const RUNS = 2_000;
const STEPS = 10;
const steps = lineOfSteps(
  Array.from({ length: STEPS }, (_, index) => ({ id: `s${index + 1}`, action: addOne.name, input: { value: index === 0 ? '{{ input.value }}' : `{{ nodes.s${index}.value }}` } })),
);

describe('the event loop during a burst of synchronous steps', () => {
  it(`turns throughout ${RUNS} runs × ${STEPS} steps: a 5 ms timer is never held up for long`, async () => {
    harness = await createHarness({ actions: [addOne] });
    const { versionId } = await harness.publish(steps, 'burst');
    const gaps: number[] = [];
    let last = 0;
    const probe = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }, 5);
    try {
      // The caller's own loop of starts is not the engine's doing: the gaps count from its end.
      const started = Promise.all(Array.from({ length: RUNS }, (_, index) => harness!.engine.startRun({ versionId, input: { value: index } })));
      last = performance.now();
      const ids = (await started).map((run) => run.id);
      await harness.worker.drain();
      const burstMs = performance.now() - (last - gaps.reduce((sum, gap) => sum + gap, 0));

      expect(await harness.count("SELECT COUNT(*) FROM instances WHERE status = 'completed'")).toBe(RUNS);
      expect((await harness.engine.getRun(ids[RUNS - 1])).state.outputs[`s${STEPS}`]).toEqual({ value: RUNS - 1 + STEPS });
      // Before the budget the loop did not turn once in the whole burst (about 2 s here); now the
      // longest gap is 70-120 ms. The bound leaves room for a machine three times as slow, or a
      // busy one, and still fails the old behaviour on one three times as fast.
      const longest = Math.max(...gaps);
      expect(longest, `the longest gap between ticks was ${longest.toFixed(0)} ms of a ${burstMs.toFixed(0)} ms burst`).toBeLessThan(600);
      expect(gaps.length).toBeGreaterThan(10);
    } finally {
      clearInterval(probe);
    }
  });
});
