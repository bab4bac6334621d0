// Runs one scenario on the real engine: a throw-away database, a virtual clock, the scenario's stubs
// and model answers. The run starts at the first step that drives it (stubs and AI answers placed
// before that are in force from the start); the script stops at the first step that fails.
import type { Graph } from '../../shared/graph/graph.schema.js';
import { DEFAULT_START, describeStep, type Scenario, type Step } from '../../shared/scenarios/scenario.schema.js';
import type { EgressPolicy } from '../actions/egress.js';
import type { ActionRegistry } from '../actions/registry.js';
import { EngineError } from '../engine/errors.js';
import { reachedBy, type Reached } from './coverage.js';
import { ScenarioDoubles } from './doubles.js';
import { checkExpectations } from './expectations.js';
import { observe } from './run-view.js';
import { openSandbox, type Sandbox, type SandboxFolder } from './sandbox.js';
import { performStep, setStub, StepFailure } from './steps.js';
import { VirtualClock } from './virtual-clock.js';

export interface ScenarioCase {
  scenario: Scenario;
  graph: Graph;
  /** The workflow's slug in the sandbox (what `instance.workflow` reads). */
  slug: string;
  /** Where the scenario came from: its file, or "workflow <slug>". */
  source: string;
  /** Where the graph came from (coverage is counted per graph). */
  workflowSource: string;
}

export interface RunnerEnv {
  folder: SandboxFolder;
  actions: ActionRegistry;
  egress: EgressPolicy;
  /** Wall time one scenario may take (an action that hangs must not hang the test run). */
  timeoutMs: number;
}

export interface ScenarioResult {
  name: string;
  source: string;
  passed: boolean;
  failures: string[];
  /** Wall-clock milliseconds. */
  wallMs: number;
  status?: string;
  path: string[];
  reached: Reached;
}

const isSetup = (step: Step) => 'stub' in step || 'ai' in step;

function stubbedActions(scenario: Scenario): string[] {
  return scenario.steps.flatMap((step) => ('stub' in step && 'action' in step.stub ? [step.stub.action] : []));
}

async function play(testCase: ScenarioCase, sandbox: Sandbox, doubles: ScenarioDoubles, progress: { step: string; runId?: string }, result: ScenarioResult): Promise<void> {
  const { scenario, graph } = testCase;
  const steps = scenario.steps;
  let index = 0;
  for (; index < steps.length && isSetup(steps[index]); index++) {
    const step = steps[index];
    if ('stub' in step) setStub(doubles, step);
    else if ('ai' in step) await performStep({ sandbox, graph, doubles, runId: '' }, step);
  }
  progress.step = 'the start of the run';
  let runId: string;
  try {
    runId = progress.runId = (await sandbox.engine.startRun({ versionId: sandbox.versionId, input: scenario.input ?? {} })).id;
  } catch (error) {
    if (error instanceof EngineError) throw new StepFailure(`start: the run was refused: ${error.message}`);
    throw error;
  }
  await sandbox.worker.drain();
  const finalCheck = async (expect: Scenario['expect'], label: string) => {
    if (!expect) return;
    const view = await observe(sandbox.engine, runId, sandbox.clock.now());
    const failures = await checkExpectations(expect, view);
    if (failures.length) throw new StepFailure(failures.map((failure) => `${label}: expect.${failure}`).join('\n'));
  };
  for (; index < steps.length; index++) {
    const step = steps[index];
    const label = `step ${index + 1} (${describeStep(step)})`;
    progress.step = label;
    try {
      await performStep({ sandbox, graph, doubles, runId }, step);
    } catch (error) {
      if (error instanceof StepFailure) throw new StepFailure(`${label}: ${error.message}`);
      throw error;
    }
    await finalCheck(step.expect, label);
  }
  progress.step = 'the final expectations';
  await finalCheck(scenario.expect, 'end');
  const view = await observe(sandbox.engine, runId, sandbox.clock.now());
  result.status = view.status;
  result.path = view.path;
  result.reached = reachedBy(graph, view.history);
}

/** Run one scenario; never throws: every problem is a failure of the result. */
export async function runScenario(testCase: ScenarioCase, env: RunnerEnv): Promise<ScenarioResult> {
  const began = performance.now();
  const result: ScenarioResult = { name: testCase.scenario.name, source: testCase.source, passed: false, failures: [], wallMs: 0, path: [], reached: { nodes: [], edges: [] } };
  const doubles = new ScenarioDoubles();
  const clock = new VirtualClock(Date.parse(testCase.scenario.startAt ?? DEFAULT_START));
  const progress: { step: string; runId?: string } = { step: 'setting up' };
  let sandbox: Sandbox | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    sandbox = await openSandbox({ folder: env.folder, graph: testCase.graph, slug: testCase.slug, clock, actions: doubles.registry(env.actions, stubbedActions(testCase.scenario)), models: doubles.models, egress: env.egress });
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StepFailure(`${progress.step}: timed out after ${env.timeoutMs} ms of wall time (an action that does not answer?)`)), env.timeoutMs);
    });
    const playing = play(testCase, sandbox, doubles, progress, result);
    // After a time-out the sandbox closes under the play, which then fails: that is already reported.
    playing.catch(() => {});
    await Promise.race([playing, timedOut]);
    result.passed = true;
  } catch (error) {
    result.failures = error instanceof StepFailure ? error.message.split('\n') : [`${progress.step}: ${(error as Error).message ?? String(error)}`];
    // Where a failing run went, for the editor to paint: read before the sandbox closes.
    if (sandbox && progress.runId) {
      const view = await observe(sandbox.engine, progress.runId, clock.now()).catch(() => undefined);
      if (view) Object.assign(result, { status: view.status, path: view.path, reached: reachedBy(testCase.graph, view.history) });
    }
  } finally {
    clearTimeout(timer);
    await sandbox?.close().catch(() => {});
    result.wallMs = Math.round(performance.now() - began);
  }
  return result;
}
