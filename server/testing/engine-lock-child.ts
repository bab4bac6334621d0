// A process that holds the engine lock of a database and then only waits, for the lock tests to
// kill. Usage: engine-lock-child <database-url> <worker-id>; prints "held" once it holds the lock,
// or the refusal on stderr and exits 3.
import { openEngineDatabase } from '../db/engine-database.js';
import { EngineLockError } from '../db/engine-lock.js';

const [url, workerId] = process.argv.slice(2);
try {
  await openEngineDatabase(url, { migrate: false, listen: false, engineLock: { workerId } });
} catch (error) {
  if (!(error instanceof EngineLockError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(3);
}
process.stdout.write('held\n');
setInterval(() => {}, 60_000);
