// `npm run bench`: for each SQLite sync mode (full, then normal; CAIRN_SQLITE_SYNC picks one), the
// insert floor, checkpointed steps/s, 100k parked runs, 10k approvals decided and REST start-run
// requests/s with 50 clients against `cairn start`; prints a table per mode and writes JSON. Then,
// once, the engine with open pages subscribed to every run (bench/live-pages.ts), the editor in
// Chromium: opening and panning a 500-node graph (bench/editor.ts); and the runs list and inbox in
// Chromium with 10,000 runs and 5,000 pending tasks (bench/web-lists.ts).
import { fileURLToPath } from 'node:url';
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { measureApprovalsIsolated } from './approvals.js';
import { formatEditorTable, measureEditor, writeEditorJson } from './editor.js';
import { measureFloor } from './floor.js';
import { formatLivePages, measureLivePages } from './live-pages.js';
import { measureParkingIsolated } from './parking.js';
import { formatTable, writeJson, type ModeResult } from './report.js';
import { measureRest } from './rest.js';
import { formatScenariosTable, measureScenarios } from './scenarios.js';
import { measureSteps } from './steps.js';
import { measureModesPaired, measureUsers } from './users.js';
import { formatModeComparison, formatUsersTable } from './users-report.js';
import { formatWebListsTable, measureWebLists, writeWebListsJson } from './web-lists.js';
import { formatWebhooksTable, measureWebhooks } from './webhooks.js';

const RESULTS_FILE = fileURLToPath(new URL('../bench-results/engine.json', import.meta.url));

function modesFromEnv(): SqliteSync[] {
  const value = process.env.CAIRN_SQLITE_SYNC;
  if (value === undefined || value === '') return ['full', 'normal'];
  if (value === 'full' || value === 'normal') return [value];
  throw new Error(`CAIRN_SQLITE_SYNC must be "full" or "normal", not "${value}"`);
}

const progress = (message: string) => process.stderr.write(`${message}\n`);

async function benchMode(sync: SqliteSync): Promise<ModeResult> {
  progress(`[${sync}] floor: single-row inserts`);
  const floor = measureFloor(sync);
  progress(`[${sync}] steps: 1,000 runs × 10 steps`);
  const steps = await measureSteps(sync);
  progress(`[${sync}] parking: 100,000 runs (in a fresh process, for a clean RSS baseline)`);
  const parking = await measureParkingIsolated(sync);
  progress(`[${sync}] approvals: 10,000 runs parked on approvals, then decided (in a fresh process)`);
  const approvals = await measureApprovalsIsolated(sync);
  progress(`[${sync}] approvals, quorum 2 of 3: 10,000 runs, two decisions each (in a fresh process)`);
  const quorum = await measureApprovalsIsolated(sync, { quorum: 'two-of-three' });
  progress(`[${sync}] rest: cairn start in a child process, 50 clients starting runs over REST`);
  const rest = await measureRest(sync);
  const users = await measureUsers(sync, progress);
  return { sync, floor, steps, parking, approvals, quorum, rest, users };
}

async function main(): Promise<void> {
  const modes = modesFromEnv();
  const results: ModeResult[] = [];
  for (const sync of modes) {
    const result = await benchMode(sync);
    results.push(result);
    console.log(`\n${formatTable(result)}`);
    console.log(`\n${formatUsersTable(sync, result.floor, result.users!)}`);
  }
  const [full, normal] = (['full', 'normal'] as const).map((sync) => results.find((result) => result.sync === sync)?.users);
  if (full && normal) {
    progress('users\' steps: FULL and NORMAL in alternating fresh processes (3 pairs)');
    console.log(`\n${formatModeComparison(full, normal, await measureModesPaired())}`);
  }
  writeJson(results, RESULTS_FILE);
  console.log(`\nfigures written to ${RESULTS_FILE}`);

  progress('open pages: 1,000 runs × 10 steps in a server, with and without three pages subscribed to every run');
  console.log(`\n${formatLivePages(await measureLivePages())}`);

  progress('webhooks: webhook starts/s beside REST start-run, 50 clients, one server (synchronous=FULL)');
  console.log(`\n${formatWebhooksTable(await measureWebhooks('full'))}`);

  const editor = await measureEditor(progress);
  console.log(`\n${formatEditorTable(editor)}`);
  console.log(`\nfigures written to ${writeEditorJson(editor)}`);

  progress('scenarios: the examples\' scenarios, in process and as `cairn test examples/`');
  console.log(`\n${formatScenariosTable(await measureScenarios())}`);

  const lists = await measureWebLists(progress);
  console.log(`\n${formatWebListsTable(lists)}`);
  console.log(`\nfigures written to ${writeWebListsJson(lists)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
