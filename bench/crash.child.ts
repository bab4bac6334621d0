// The process the crash scenario (bench/crash.ts) kills: Cairn in-process with its defaults
// (bench/in-process.ts) on the given SQLite file, 1 s leases so the restart need not wait out 30 s
// ones. `start` publishes start → 10 × crash.sink → end and starts the runs at once; `resume` only
// recovers. It exits 0 once every run has finished.
// Usage: crash.child <database-url> <sink-file> <start|resume> <sync> [runs]
import { appendFileSync } from 'node:fs';
import { z } from 'zod';
import { defineAction } from '../server/actions/registry.js';
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { lineOfSteps } from '../server/testing/graphs.js';
import { openInProcess } from './in-process.js';

const [databaseUrl, sinkFile, mode, sync, runsArg] = process.argv.slice(2);

/** The side effect: 20 ms of work, then its idempotency key appended to the sink — done, not yet recorded. */
const sinkAction = defineAction({
  name: 'crash.sink',
  description: 'Takes 20 ms, then appends its idempotency key to the sink file (benchmarks).',
  input: z.object({}),
  async run(_input, ctx) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    appendFileSync(sinkFile, `${ctx.idempotencyKey}\n`);
    return { ok: true };
  },
});

const cairn = await openInProcess({ databaseUrl, sync: sync as SqliteSync, actions: [sinkAction], leaseMs: 1_000 });
const exitWhenDone = async () => {
  const unfinished = await cairn.database.scalar("SELECT COUNT(*) FROM instances WHERE status NOT IN ('completed', 'failed', 'cancelled')");
  if (Number(unfinished) === 0) process.exit(0);
};
cairn.worker.onCheckpoint((notice) => {
  if (notice.status === 'completed' || notice.status === 'failed') void exitWhenDone();
});
if (mode === 'start') {
  const graph = lineOfSteps(Array.from({ length: 10 }, (_, index) => ({ id: `s${index + 1}`, action: sinkAction.name })));
  const versionId = await cairn.publish(graph, 'crash');
  await Promise.all(Array.from({ length: Number(runsArg) }, () => cairn.engine.startRun({ versionId })));
}
await exitWhenDone();
