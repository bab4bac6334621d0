// The process measureApprovalsIsolated forks: runs the approvals benchmark alone and sends the result
// back over IPC (stdout and stderr stay the parent's, for progress lines and errors).
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { measureApprovals, type ApprovalsOptions } from './approvals.js';

const { sync, options } = JSON.parse(process.argv[2] ?? '{}') as { sync: SqliteSync; options: ApprovalsOptions };

measureApprovals(sync, options).then(
  (result) => process.send!(result, () => process.disconnect()),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
    process.disconnect();
  },
);
