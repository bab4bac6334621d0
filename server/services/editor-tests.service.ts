// What the editor's Tests panel asks beyond the scenarios service: save a real run as a scenario of its
// workflow, and "run to here" — the editor's graph run as a test run up to one node.
import type { Graph } from '../../shared/graph/graph.schema.js';
import { formatBytes, jsonBytes, LIMITS } from '../../shared/limits.js';
import { validateGraph } from '../../shared/validate.js';
import type { InstanceRecord, HistoryRecord } from '../engine/store.js';
import { ApiError } from '../errors.js';
import { scenarioFromRun } from '../scenarios/from-run.js';
import { defaultScratch } from '../scenarios/run-all.js';
import { runToHere, type TrialResult } from '../scenarios/trial-run.js';
import type { Services } from '../api/rest/context.js';
import { validateOptions } from './graph-checks.js';

type Needed = Pick<Services, 'runs' | 'workflows' | 'scenarios'>;

function scenariosOf(services: Needed) {
  if (!services.scenarios) throw new ApiError('NOT_FOUND', 'scenarios are not served by this process');
  return services.scenarios;
}

/** A real run's facts and history, read through the API's services (times back to epoch ms). */
async function recordedRun(services: Needed, runId: string) {
  const run = await services.runs.get(runId);
  const history: HistoryRecord[] = (await services.runs.history(runId)).map((event) => ({ ...event, at: Date.parse(event.at) }));
  // The run's own last event: a later rerun's link on it is not part of what it did.
  const own = history.filter((event) => event.type !== 'rerunStarted');
  const end = own.length ? own[own.length - 1].at : Date.parse(run.updatedAt);
  const facts: Pick<InstanceRecord, 'id' | 'status' | 'input' | 'output' | 'error' | 'createdAt' | 'updatedAt' | 'finishedAt'> = {
    ...run,
    createdAt: Date.parse(run.createdAt),
    updatedAt: end,
    finishedAt: ['completed', 'failed', 'cancelled'].includes(run.status) ? end : null,
  };
  return { run, facts, history };
}

export async function saveRunAsScenario(services: Needed, request: { runId: string; name: string }) {
  const scenarios = scenariosOf(services);
  const { run, facts, history } = await recordedRun(services, request.runId);
  if (history.some((event) => event.type === 'childStarted')) throw new ApiError('INVALID_INPUT', `run "${run.id}" started sub-workflow runs, which scenarios cannot play yet; it cannot be saved as a scenario`);
  const existing = await scenarios.list(run.workflow);
  if (existing.scenarios.some((scenario) => scenario.name === request.name)) throw new ApiError('CONFLICT', `workflow "${run.workflow}" already has a scenario named "${request.name}"; pick another name`);
  const { graph } = await services.workflows.version(run.workflow, run.version);
  const scenario = scenarioFromRun(facts, graph, history, request.name);
  const saved = await scenarios.put(run.workflow, request.name, scenario);
  return { workflow: run.workflow, scenario: saved.scenario };
}

export interface RunToHereRequest {
  slug: string;
  graph: unknown;
  untilNode: string;
  input?: unknown;
  stubResult?: { value: unknown };
}

export async function runDraftToHere(services: Needed, request: RunToHereRequest): Promise<TrialResult> {
  const scenarios = scenariosOf(services);
  await services.workflows.get(request.slug);
  for (const [what, value] of [['the input', request.input], ['the stub result', request.stubResult?.value]] as const) {
    const bytes = jsonBytes(value ?? null);
    if (bytes > LIMITS.payloadBytes) throw new ApiError('PAYLOAD_TOO_LARGE', `${what} is ${formatBytes(bytes)}, over the ${formatBytes(LIMITS.payloadBytes)} limit`);
  }
  return scenarios.withRunner(async ({ actions, egress }) => {
    const checked = validateGraph(request.graph, validateOptions(actions));
    if (!checked.ok) throw new ApiError('INVALID_GRAPH', `the graph has ${checked.problems.length} problem(s); fix them first: ${checked.problems[0].message}`, checked.problems);
    const graph: Graph = checked.graph;
    if (!graph.nodes.some((node) => node.id === request.untilNode)) throw new ApiError('INVALID_INPUT', `untilNode: the graph has no node "${request.untilNode}"`);
    return runToHere({ graph, slug: request.slug, untilNode: request.untilNode, input: request.input ?? {}, stubResult: request.stubResult }, { actions, egress, scratch: defaultScratch() });
  });
}
