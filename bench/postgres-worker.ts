// One worker process of the PostgreSQL steps benchmark: connects, tells the parent it is ready,
// starts its worker on "go", and reports its commit statistics when told to stop.
import { builtinActions } from '../server/actions/builtin.actions.js';
import { ActionRegistry } from '../server/actions/registry.js';
import { openEngineDatabase } from '../server/db/engine-database.js';
import { systemClock } from '../server/engine/clock.js';
import { createWorker } from '../server/engine/runner/worker.js';
import { silentLogger } from '../server/logger.js';
import { noopAction } from './workloads.js';

const { url, workerId } = JSON.parse(process.argv[2]) as { url: string; workerId: string };
const database = await openEngineDatabase(url, { migrate: false });
const worker = createWorker({
  store: database.store,
  clock: systemClock,
  actions: new ActionRegistry([...builtinActions, noopAction]),
  workerId,
  logger: silentLogger,
});

process.on('message', (message: string) => {
  if (message === 'go') void worker.start();
  if (message === 'stop') {
    void worker.stop({ graceMs: 0 }).then(async () => {
      process.send!({ stats: worker.stats });
      await database.close();
      process.disconnect();
    });
  }
});
process.send!('ready');
