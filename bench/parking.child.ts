// The process measureParkingIsolated forks: runs the parking benchmark alone and sends the result
// back over IPC (stdout and stderr stay the parent's, for progress lines and errors).
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { measureParking, type ParkingOptions } from './parking.js';

const { sync, options } = JSON.parse(process.argv[2] ?? '{}') as { sync: SqliteSync; options: ParkingOptions };

measureParking(sync, options).then(
  (result) => process.send!(result, () => process.disconnect()),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
    process.disconnect();
  },
);
