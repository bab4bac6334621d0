// `npx tsx bench/approvals-quorum.ts [runs]`: decisions/s with a quorum of 2 of 3 beside single
// decisions, on SQLite (synchronous=FULL) — the approvals benchmark's two shapes alone, each in a
// fresh process; `npm run bench` reports both among the rest.
import { measureApprovalsIsolated } from './approvals.js';

const runs = Number(process.argv[2] ?? 10_000);
for (const quorum of ['single', 'two-of-three'] as const) {
  const result = await measureApprovalsIsolated('full', { runs, quorum });
  console.log(
    `${quorum.padEnd(12)} ${runs.toLocaleString('en')} tasks × ${result.decisionsPerTask}: ${Math.round(result.decisionsPerSec).toLocaleString('en')} decisions/s, ` +
      `${Math.round(result.tasksPerSec).toLocaleString('en')} tasks/s (decide ${result.decideSeconds.toFixed(2)} s + drain ${result.drainSeconds.toFixed(2)} s)`,
  );
}
