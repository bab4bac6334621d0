// The process the crash tests kill. It runs an engine on the database at the given URL (SQLite or
// PostgreSQL) with the system clock and short leases; `start` also publishes the workflow and starts
// the runs. It exits 0 once no run is left unfinished.
// Usage: crash-child <database-url> <sink> <start|resume> <scenario> [runs]
import { appendFileSync } from 'node:fs';
import { z } from 'zod';
import { builtinActions } from '../actions/builtin.actions.js';
import { ActionRegistry, defineAction } from '../actions/registry.js';
import { openEngineDatabase } from '../db/engine-database.js';
import { createLogger } from '../logger.js';
import { systemClock } from '../engine/clock.js';
import { createEngine } from '../engine/engine.js';
import { createWorker } from '../engine/runner/worker.js';
import { lineOfSteps } from './graphs.js';

const [databaseUrl, sinkFile, mode, scenario, runsArg] = process.argv.slice(2);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sink = defineAction({
  name: 'sink',
  description: 'takes ~20 ms, then appends its idempotency key to the sink file',
  input: z.object({}),
  async run(_input, ctx) {
    await sleep(20);
    appendFileSync(sinkFile, `${ctx.idempotencyKey}\n`);
    return { ok: true };
  },
});
const die = defineAction({
  name: 'die',
  description: 'kills the process it runs in',
  input: z.object({}),
  run(_input, ctx) {
    appendFileSync(sinkFile, `${ctx.idempotencyKey}#${ctx.attempt}\n`);
    process.kill(process.pid, 'SIGKILL');
  },
});

const graphs = {
  tenSteps: lineOfSteps(Array.from({ length: 10 }, (_, i) => ({ id: `s${i + 1}`, action: 'sink', retry: { maxAttempts: 5, initialInterval: '100ms', jitter: 0 } }))),
  // More attempts than the quarantine allows interruptions: the quarantine, not the retry policy, stops it.
  killer: lineOfSteps([{ id: 'boom', action: 'die', retry: { maxAttempts: 10, initialInterval: '100ms', jitter: 0 } }]),
};

const database = await openEngineDatabase(databaseUrl);
const store = database.store;
const logger = createLogger({ level: 'warn' });
const worker = createWorker({ store, clock: systemClock, actions: new ActionRegistry([...builtinActions, sink, die]), logger, leaseMs: 1_000 });
const engine = createEngine({ store, worker, clock: systemClock });
const exitWhenDone = async () => {
  const unfinished = await database.scalar("SELECT COUNT(*) FROM instances WHERE status NOT IN ('completed', 'failed', 'cancelled')");
  if (Number(unfinished) === 0) process.exit(0);
};
worker.onCheckpoint(() => void exitWhenDone());

await worker.start();
if (mode === 'start') {
  const graph = graphs[scenario as keyof typeof graphs];
  const { versionId } = await database.publishVersion({ slug: scenario, graph, now: Date.now() });
  await Promise.all(Array.from({ length: Number(runsArg ?? 1) }, () => engine.startRun({ versionId })));
  process.stdout.write('started\n');
}
await exitWhenDone();
