// Runs many scenarios one after another (each on its own throw-away database) and adds up coverage
// per workflow. Used by `cairn test` and by the REST route that runs a workflow's scenarios.
import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { EgressPolicy } from '../actions/egress.js';
import type { ActionRegistry } from '../actions/registry.js';
import { coverageOf, type Coverage } from './coverage.js';
import { runScenario, type ScenarioCase, type ScenarioResult } from './runner.js';
import { SandboxFolder } from './sandbox.js';

export const DEFAULT_SCENARIO_TIMEOUT_MS = 30_000;

/** Throw-away databases on tmpfs where there is one: their fsyncs (at close, at checkpoints) cost nothing there. */
export function defaultScratch(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

export interface WorkflowCoverage extends Coverage {
  workflow: string;
}

export interface SuiteRun {
  results: ScenarioResult[];
  coverage: WorkflowCoverage[];
}

export interface SuiteOptions {
  actions: ActionRegistry;
  egress: EgressPolicy;
  timeoutMs?: number;
  /** Where the throw-away databases go (default: /dev/shm, else the OS's temp folder). */
  scratch?: string;
  /** Called as each scenario finishes (the CLI prints a line). */
  onResult?: (result: ScenarioResult) => void;
}

export async function runScenarios(cases: readonly ScenarioCase[], options: SuiteOptions): Promise<SuiteRun> {
  const folder = new SandboxFolder(options.scratch ?? defaultScratch());
  const results: ScenarioResult[] = [];
  try {
    const env = { folder, actions: options.actions, egress: options.egress, timeoutMs: options.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS };
    for (const testCase of cases) {
      const result = await runScenario(testCase, env);
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    folder.dispose();
  }
  const graphs = new Map<string, Graph>();
  for (const testCase of cases) graphs.set(testCase.workflowSource, testCase.graph);
  const coverage = [...graphs].map(([workflow, graph]) => ({
    workflow,
    ...coverageOf(
      graph,
      results.filter((_, index) => cases[index].workflowSource === workflow).map((result) => result.reached),
    ),
  }));
  return { results, coverage };
}
