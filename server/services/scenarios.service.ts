// A workflow's scenarios for the API: stored with the draft, frozen into each version at publish, run
// against the draft or a version on the scenario runner, and — when the workflow asks for it — run
// before publishing, which a failing scenario refuses (422 naming it).
import { checkReferences } from '../../shared/scenarios/check-references.js';
import { parseScenarios } from '../../shared/scenarios/parse-scenarios.js';
import { MAX_SCENARIOS, SCENARIO_FORMAT, type Scenario } from '../../shared/scenarios/scenario.schema.js';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { validateGraph } from '../../shared/validate.js';
import type { EgressPolicy } from '../actions/egress.js';
import type { ActionRegistry } from '../actions/registry.js';
import type { ScenariosRepo } from '../db/repos/scenarios.repo.js';
import type { Clock } from '../engine/clock.js';
import { ApiError } from '../errors.js';
import { runScenarios, type SuiteRun } from '../scenarios/run-all.js';
import type { ScenarioCase } from '../scenarios/runner.js';
import { readStoredGraph, validateOptions } from './graph-checks.js';

/** What publishing asks of the scenarios (workflows.service.ts). */
export interface PublishHooks {
  /** Refuses (422) when the workflow requires passing scenarios and one fails on `graph`. */
  beforePublish(workflow: { id: string; slug: string }, graph: Graph): Promise<void>;
  /** Freezes the draft's scenarios into the new version. */
  afterPublish(workflow: { id: string }, version: number): Promise<void>;
}

const stored = (scenario: Scenario) => {
  const { format: _format, workflow: _workflow, ...rest } = scenario;
  return rest;
};

/** Scenarios as sent by a client: each is read and checked; a reference to a file or version makes no sense stored. */
function readScenarios(value: unknown, where: string): Scenario[] {
  const list = Array.isArray(value) ? value : [value];
  const read = parseScenarios({ format: SCENARIO_FORMAT, scenarios: list.map((item) => (item && typeof item === 'object' && !Array.isArray(item) ? { ...item, format: undefined } : item)) }, where);
  if (!read.ok) throw new ApiError('INVALID_INPUT', read.problems[0], read.problems.map((message) => ({ code: 'SCENARIO_INVALID', message })));
  const misplaced = read.scenarios.find((scenario) => scenario.workflow && !('draft' in scenario.workflow));
  if (misplaced) throw new ApiError('INVALID_INPUT', `scenario "${misplaced.name}": a stored scenario runs against its workflow's draft or versions; leave "workflow" out`);
  return read.scenarios;
}

export function createScenariosService(deps: { repo: ScenariosRepo; actions: ActionRegistry; egress: EgressPolicy; clock: Clock; timeoutMs?: number }) {
  const { repo, actions, clock } = deps;
  // One suite at a time per process: each scenario already runs a worker of its own.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  };

  async function workflowOf(slug: string) {
    const workflow = await repo.workflow(slug);
    if (!workflow) throw new ApiError('NOT_FOUND', `no workflow "${slug}"`);
    return workflow;
  }

  async function draftScenarios(workflowId: string): Promise<Scenario[]> {
    return (await repo.list(workflowId)).map((row) => JSON.parse(row.definition) as Scenario);
  }

  /** Run `scenarios` on `graph`; a scenario naming nodes the graph lacks fails with that problem. */
  async function run(slug: string, graph: Graph, scenarios: Scenario[]): Promise<SuiteRun & { problems: { name: string; failures: string[] }[] }> {
    const cases: ScenarioCase[] = [];
    const problems: { name: string; failures: string[] }[] = [];
    for (const scenario of scenarios) {
      const found = checkReferences(scenario, graph, `scenario "${scenario.name}"`);
      if (found.length) problems.push({ name: scenario.name, failures: found });
      else cases.push({ scenario, graph, slug, source: `workflow ${slug}`, workflowSource: slug });
    }
    const suite = await serially(() => runScenarios(cases, { actions, egress: deps.egress, timeoutMs: deps.timeoutMs }));
    return { ...suite, problems };
  }

  function report(suite: Awaited<ReturnType<typeof run>>) {
    const results = [
      ...suite.results.map((result) => ({ name: result.name, passed: result.passed, failures: result.failures, status: result.status ?? null, path: result.path, wallMs: result.wallMs })),
      ...suite.problems.map((problem) => ({ name: problem.name, passed: false, failures: problem.failures, status: null, path: [], wallMs: 0 })),
    ];
    const passed = results.filter((result) => result.passed).length;
    return { passed, failed: results.length - passed, results, coverage: suite.coverage[0] ?? null };
  }

  const hooks: PublishHooks = {
    async beforePublish(workflow, graph) {
      const row = await repo.workflow(workflow.slug);
      if (!row?.requirePassingScenarios) return;
      const outcome = report(await run(workflow.slug, graph, await draftScenarios(workflow.id)));
      const failing = outcome.results.filter((result) => !result.passed);
      if (failing.length === 0) return;
      const problems = failing.map((result) => ({ code: 'SCENARIO_FAILED', scenario: result.name, message: `scenario "${result.name}" fails: ${result.failures.join('; ')}` }));
      throw new ApiError('INVALID_GRAPH', `publishing "${workflow.slug}" is blocked: ${failing.length} scenario(s) fail (${failing.map((result) => `"${result.name}"`).join(', ')}): ${failing[0].failures[0]}`, problems);
    },
    async afterPublish(workflow, version) {
      await repo.freeze(workflow.id, version, JSON.stringify((await draftScenarios(workflow.id)).map(stored)));
    },
  };

  return {
    hooks,
    /** Run other work on the scenario runner's terms (the editor's "run to here"): its actions and egress, one at a time with the suites. */
    withRunner: <T>(work: (env: { actions: ActionRegistry; egress: EgressPolicy }) => Promise<T>): Promise<T> => serially(() => work({ actions, egress: deps.egress })),
    async list(slug: string) {
      const workflow = await workflowOf(slug);
      return { requirePassing: workflow.requirePassingScenarios, scenarios: await draftScenarios(workflow.id) };
    },
    /** Replace the draft's scenarios (and optionally the setting) at once: what import does. */
    async replace(slug: string, body: { scenarios?: unknown; requirePassing?: unknown }) {
      const workflow = await workflowOf(slug);
      if (body.requirePassing !== undefined && typeof body.requirePassing !== 'boolean') throw new ApiError('INVALID_INPUT', 'requirePassing must be true or false');
      if (body.scenarios !== undefined) {
        if (!Array.isArray(body.scenarios) || body.scenarios.length > MAX_SCENARIOS) throw new ApiError('INVALID_INPUT', `scenarios must be a list of at most ${MAX_SCENARIOS} scenarios`);
        const scenarios = body.scenarios.length ? readScenarios(body.scenarios, 'scenarios') : [];
        await repo.replaceAll(workflow.id, scenarios.map((scenario) => ({ name: scenario.name, definition: JSON.stringify(stored(scenario)) })), new Date(clock.now()));
      }
      if (typeof body.requirePassing === 'boolean') await repo.setRequirePassing(workflow.id, body.requirePassing);
      return this.list(slug);
    },
    /** Scenarios as replace would store them, checked without storing (an import checks before it saves anything). */
    check(value: unknown): Scenario[] {
      if (!Array.isArray(value) || value.length > MAX_SCENARIOS) throw new ApiError('INVALID_INPUT', `scenarios must be a list of at most ${MAX_SCENARIOS} scenarios`);
      return value.length ? readScenarios(value, 'scenarios') : [];
    },
    async put(slug: string, name: string, body: unknown) {
      const workflow = await workflowOf(slug);
      const given = body && typeof body === 'object' && !Array.isArray(body) ? { name, ...(body as object) } : body;
      const [scenario] = readScenarios(given, `scenario "${name}"`);
      if (scenario.name !== name) throw new ApiError('INVALID_INPUT', `the scenario is named "${scenario.name}" but the URL names "${name}"`);
      if ((await repo.count(workflow.id)) >= MAX_SCENARIOS && !(await repo.list(workflow.id)).some((row) => row.name === name)) throw new ApiError('CONFLICT', `workflow "${slug}" already has ${MAX_SCENARIOS} scenarios`);
      const created = await repo.put(workflow.id, { name, definition: JSON.stringify(stored(scenario)) }, new Date(clock.now()));
      return { created, scenario: stored(scenario) };
    },
    async remove(slug: string, name: string) {
      const workflow = await workflowOf(slug);
      if (!(await repo.remove(workflow.id, name))) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no scenario "${name}"`);
    },
    async versionScenarios(slug: string, version: number): Promise<Scenario[]> {
      const workflow = await workflowOf(slug);
      const row = await repo.version(workflow.id, version);
      if (!row) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no version ${version}`);
      return row.scenarios ? (JSON.parse(row.scenarios) as Scenario[]) : [];
    },
    /** Run the draft's scenarios on the draft, or a version's frozen scenarios on that version; `names` picks some. */
    async run(slug: string, options: { version?: number; names?: string[] } = {}) {
      const workflow = await workflowOf(slug);
      let graph: Graph;
      let scenarios: Scenario[];
      if (options.version !== undefined) {
        const row = await repo.version(workflow.id, options.version);
        if (!row) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no version ${options.version}`);
        graph = readStoredGraph(row.graph);
        scenarios = row.scenarios ? (JSON.parse(row.scenarios) as Scenario[]) : [];
      } else {
        const checked = validateGraph(JSON.parse(workflow.draft), validateOptions(actions));
        if (!checked.ok) throw new ApiError('INVALID_GRAPH', `the draft of "${slug}" has ${checked.problems.length} problem(s): ${checked.problems[0].message}`, checked.problems);
        graph = checked.graph;
        scenarios = await draftScenarios(workflow.id);
      }
      if (options.names) {
        const missing = options.names.filter((name) => !scenarios.some((scenario) => scenario.name === name));
        if (missing.length) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no scenario ${missing.map((name) => `"${name}"`).join(', ')}${options.version ? ` in version ${options.version}` : ''}`);
        scenarios = scenarios.filter((scenario) => options.names!.includes(scenario.name));
      }
      return report(await run(slug, graph, scenarios));
    },
  };
}

export type ScenariosService = ReturnType<typeof createScenariosService>;
