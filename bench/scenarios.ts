// Scenarios per second for the examples' scenarios: `cairn test examples/` as a user runs it (wall time
// of the whole process ÷ scenarios, start-up included) and the runner in this process (rounds of every
// example scenario, each on its own throw-away database), beside the floor of single-row inserts/s on
// the same disk with the sandbox's pragmas (synchronous=NORMAL). `tsx bench/scenarios.ts` runs it alone.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { builtinActions } from '../server/actions/builtin.actions.js';
import { parseAllowList } from '../server/actions/egress.js';
import { ActionRegistry } from '../server/actions/registry.js';
import { runScenarios } from '../server/scenarios/run-all.js';
import { collectFiles, createLoader } from '../server/scenarios/scenario-files.js';
import { validateOptions } from '../server/services/graph-checks.js';
import { measureFloor } from './floor.js';
import { median } from './stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface ScenariosBench {
  scenarios: number;
  /** `cairn test examples/` end to end, process start-up included. */
  cliWallMs: number;
  cliPerSec: number;
  /** In this process, the median of the rounds. */
  runnerPerSec: number;
  rounds: number[];
  floorPerSec: number;
}

export async function measureScenarios(options: { rounds?: number } = {}): Promise<ScenariosBench> {
  const floor = measureFloor('normal');
  const actions = new ActionRegistry(builtinActions);
  const base = validateOptions(actions);
  const loaded = createLoader((extra) => ({ ...base, actions: [...(base.actions ?? []), ...extra] })).load(collectFiles([`${root}/examples`]));
  if (loaded.problems.length) throw new Error(loaded.problems.map((problem) => problem.message).join('\n'));
  const rounds: number[] = [];
  for (let round = 0; round < (options.rounds ?? 5); round++) {
    const began = performance.now();
    const { results } = await runScenarios(loaded.cases, { actions, egress: parseAllowList([]) });
    if (results.some((result) => !result.passed)) throw new Error(`an example scenario failed: ${results.find((result) => !result.passed)!.failures.join('; ')}`);
    rounds.push(results.length / ((performance.now() - began) / 1000));
  }
  const began = performance.now();
  const cli = spawnSync(process.execPath, [`${root}/bin/cairn.js`, 'test', 'examples/'], { cwd: root, encoding: 'utf8' });
  const cliWallMs = performance.now() - began;
  if (cli.status !== 0) throw new Error(`cairn test examples/ exited with ${cli.status}:\n${cli.stdout}${cli.stderr}`);
  const scenarios = loaded.cases.length;
  return { scenarios, cliWallMs, cliPerSec: scenarios / (cliWallMs / 1000), runnerPerSec: median(rounds), rounds, floorPerSec: floor.opsPerSec };
}

export function formatScenariosTable(result: ScenariosBench): string {
  const ratio = (perSec: number) => `1 : ${Math.round(result.floorPerSec / perSec).toLocaleString('en')}`;
  return [
    `scenarios (${result.scenarios} example scenarios)        value          vs floor (${Math.round(result.floorPerSec).toLocaleString('en')} inserts/s)`,
    `  cairn test examples/ (whole process)   ${result.cliPerSec.toFixed(1).padStart(7)} /s     ${ratio(result.cliPerSec)}   (${Math.round(result.cliWallMs)} ms wall)`,
    `  runner in process (median of ${result.rounds.length})      ${result.runnerPerSec.toFixed(1).padStart(7)} /s     ${ratio(result.runnerPerSec)}`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(formatScenariosTable(await measureScenarios()));
}
