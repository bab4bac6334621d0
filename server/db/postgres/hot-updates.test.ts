// A step of a running run rewrites its row. On PostgreSQL that is cheap only as a HOT update: no
// indexed column changes (a step within the lease keeps status and lease, checkpoint-draft.ts) and
// the new version fits on the row's page, which the table's fillfactor (migration
// 20261207180000_instances_fillfactor) keeps room for. Otherwise each update adds an entry to each
// of the table's six indexes.
import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../../actions/registry.js';
import { FakeClock } from '../../engine/clock.js';
import { lineOfSteps } from '../../testing/graphs.js';
import { createHarness, until, type Harness } from '../../testing/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const addOne = defineAction({ name: 'addOne', description: 'test: adds 1', input: z.object({ value: z.number() }), run: ({ value }) => ({ value: value + 1 }) });

it('most steps of running runs update their rows in place (HOT), not through every index', async () => {
  harness = await createHarness({ clock: new FakeClock(), actions: [addOne] });
  const steps = 8;
  const { versionId } = await harness.publish(
    lineOfSteps(Array.from({ length: steps }, (_, index) => ({ id: `s${index + 1}`, action: 'addOne', input: { value: index === 0 ? '{{ input.value }}' : `{{ nodes.s${index}.value }}` } }))),
  );
  const runs = 50;
  await Promise.all(Array.from({ length: runs }, (_, value) => harness!.engine.startRun({ versionId, input: { value } })));
  await harness.worker.drain();
  expect(await harness.scalar<number>("SELECT COUNT(*) FROM instances WHERE status = 'completed'")).toBe(runs);

  // An idle backend reports its counts to the statistics about 10 s after its last commit.
  const counts = async () => (await harness!.rows<{ updates: number; hot: number }>("SELECT n_tup_upd AS updates, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname = 'instances'"))[0];
  // A run's row is updated once a step, and once more as it ends.
  await until(async () => (await counts()).updates >= runs * steps, { what: 'the updates to reach the statistics', timeoutMs: 40_000 });
  const { updates, hot } = await counts();
  // Not HOT: a run's first step (pending → running) and its end (status and lease cleared); every
  // step between is. Without room on the page (fillfactor 100) about 2 % were.
  expect(hot / updates).toBeGreaterThan(0.6);
});
