// How a worker decides when to look again after a scan. Work that was due when it claimed yet went
// unclaimed belongs to another worker (look again after busyRetryMs); work that became due while it
// was finishing the scan must be looked at now — confusing the two once left a FakeClock test's
// runs waiting forever and, on a real clock, delayed them by busyRetryMs.
import { afterEach, describe, expect, it } from 'vitest';
import { builtinActions } from '../actions/builtin.actions.js';
import { ActionRegistry } from '../actions/registry.js';
import { openEngineDatabase, type EngineDatabase } from '../db/engine-database.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { silentLogger } from '../logger.js';
import { FakeClock } from './clock.js';
import { newRunId } from './ids.js';
import { buildGraph } from '../testing/graphs.js';
import { until } from '../testing/harness.js';
import { createWorker, type Worker } from './runner/worker.js';

const T0 = Date.UTC(2026, 0, 1);
const graph = buildGraph(
  [['start', 'start'], ['w', 'wait', { until: '{{ input.due }}' }], ['end', 'end']],
  ['start.next -> w', 'w.next -> end'],
);

let testDatabase: TestDatabase | undefined;
let database: EngineDatabase | undefined;
let worker: Worker | undefined;
afterEach(async () => {
  await worker?.stop({ graceMs: 0 });
  await database?.close();
  await testDatabase?.drop();
  worker = database = testDatabase = undefined;
});

describe('worker wake-ups', () => {
  it('a timer that comes due while the worker finishes a scan is fired at once', async () => {
    testDatabase = await createTestDatabase();
    database = await openEngineDatabase(testDatabase.url, { migrate: false, listen: false });
    const clock = new FakeClock(T0);
    const actions = new ActionRegistry(builtinActions);
    await database.publishVersion({ slug: 'wait', graph, now: T0 });
    const version = (await database.store.activeVersion('wait'))!;

    // Another worker started the run and is gone: nothing in the next worker knows of its timer.
    const starter = createWorker({ store: database.store, clock, actions, logger: silentLogger, workerId: 'starter' });
    const runId = newRunId(clock);
    expect(await starter.admit(version, { id: runId, input: { due: new Date(T0 + 60_000).toISOString() } })).toEqual({ ok: true, status: 'waiting' });
    await starter.stop({ graceMs: 0 });

    // The clock reaches the timer while the worker asks for its next wake-up, after its claim at T0.
    let moveClockDuringNextWake = true;
    const store = {
      ...database.store,
      async nextWakeAt(owner: string) {
        const at = await database!.store.nextWakeAt(owner);
        if (moveClockDuringNextWake) {
          moveClockDuringNextWake = false;
          clock.set(T0 + 60_000);
        }
        return at;
      },
    };
    worker = createWorker({ store, clock, actions, logger: silentLogger, workerId: 'next' });
    await worker.start();

    const status = () => database!.scalar<string>('SELECT status FROM instances WHERE id = ?', runId);
    await until(async () => (await status()) === 'completed', { what: 'the run to complete without the clock moving again' });
    expect(clock.now()).toBe(T0 + 60_000);
  });
});
