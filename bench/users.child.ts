// The process measureUserStepsIsolated and measureUserParkingIsolated fork: one scenario alone, so
// that its peak RSS is its own; the result goes back over IPC.
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { measureUserParking, measureUserSteps } from './users.js';

const { scenario, sync, options } = JSON.parse(process.argv[2] ?? '{}') as { scenario: 'steps' | 'parking'; sync: SqliteSync; options: { runs?: number; rounds?: number } };

(scenario === 'steps' ? measureUserSteps(sync, options) : measureUserParking(sync, options)).then(
  (result) => process.send!(result, () => process.disconnect()),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
    process.disconnect();
  },
);
