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
  it(`turns throughout ${RUNS} runs × ${STEPS} steps: a 5 ms timer is never held up for long, and a run started meanwhile finishes before the burst`, async () => {
    harness = await createHarness({ actions: [addOne] });
    const { versionId } = await harness.publish(steps, 'burst');
    const alone = await harness.publish(lineOfSteps([{ id: 's1', action: addOne.name, input: { value: 1 } }]), 'alone');
    const completedAt = new Map<string, number>();
    harness.worker.onCheckpoint((notice) => {
      if (notice.status === 'completed') completedAt.set(notice.instanceId, performance.now());
    });
    const gaps: number[] = [];
    let last = 0;
    let other: Promise<{ id: string }> | undefined;
    const probe = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
      // Another caller's run, started from a timer once the burst is under way.
      if (gaps.length === 3) other = harness!.engine.startRun({ versionId: alone.versionId, input: {} });
    }, 5);
    try {
      // The caller's own loop of starts is not the engine's doing: the gaps count from its end.
      const started = Promise.all(Array.from({ length: RUNS }, (_, index) => harness!.engine.startRun({ versionId, input: { value: index } })));
      const began = (last = performance.now());
      const ids = (await started).map((run) => run.id);
      await harness.worker.drain();
      const burstMs = performance.now() - began;

      expect(await harness.count("SELECT COUNT(*) FROM instances WHERE status = 'completed'")).toBe(RUNS + 1);
      expect((await harness.engine.getRun(ids[RUNS - 1])).state.outputs[`s${STEPS}`]).toEqual({ value: RUNS - 1 + STEPS });
      // Before the budget the loop did not turn once in the whole burst (about 2 s here); now the
      // longest gap is 70-120 ms. The bound leaves room for a machine three times as slow, or a
      // busy one, and still fails the old behaviour on one three times as fast.
      const longest = Math.max(...gaps);
      expect(longest, `the longest gap between ticks was ${longest.toFixed(0)} ms of a ${burstMs.toFixed(0)} ms burst`).toBeLessThan(600);
      expect(gaps.length).toBeGreaterThan(10);
      // The other caller's run was neither held back until the burst was over nor left waiting
      // behind it: work put off goes on in order of arrival, so it waits about one round of the
      // burst's steps for its start and one for its step (about a third of the burst here; before,
      // runs already moving took every turn's budget and it finished at 90 %).
      const otherId = (await other!).id;
      const lastOfBurst = Math.max(...ids.map((id) => completedAt.get(id)!));
      const otherMs = completedAt.get(otherId)! - began;
      expect(otherMs, `the other run finished ${otherMs.toFixed(0)} ms into a ${(lastOfBurst - began).toFixed(0)} ms burst`).toBeLessThan(0.75 * (lastOfBurst - began));
    } finally {
      clearInterval(probe);
    }
  });
});
