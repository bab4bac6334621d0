// A workflow as a file, for `cairn export` / `cairn import` and the web app's export and import alike:
// its graph, and the scenarios and eval sets stored with its draft (or frozen into a version) travel
// with it as `{ slug, name, graph, scenarios?, evals? }`; a workflow with neither is its bare graph.
// An import checks everything it carries before it saves anything, so a bad scenario or eval set
// leaves no half-imported workflow behind.
import type { EvalSet } from '../../shared/evals/eval-set.schema.js';
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { EvalsService } from '../ai/evals/evals.service.js';
import { ApiError } from '../errors.js';
import { parseGraph } from './drafts.service.js';
import type { ScenariosService } from './scenarios.service.js';
import type { WorkflowsService } from './workflows.service.js';

/** What export writes and import reads; `scenarios` and `evals` only when there are some. */
export interface WorkflowFile {
  slug: string;
  name: string;
  graph: Graph;
  scenarios?: unknown[];
  evals?: EvalSet[];
}

export interface WorkflowFileServices {
  workflows: WorkflowsService;
  scenarios?: ScenariosService;
  evals?: EvalsService;
}

export interface ImportRequest {
  slug: string;
  name?: string;
  graph: unknown;
  /** Replace the draft's scenarios; absent leaves them as they are. */
  scenarios?: unknown;
  /** Replace the draft's eval sets; absent leaves them as they are. */
  evals?: unknown;
  /** 0: create only (a workflow of that slug is a conflict), as the web app's import does. */
  expectedRev?: number;
  by?: string;
}

export interface ImportOutcome {
  created: boolean;
  slug: string;
  name: string;
  draftRev: number;
  scenarios?: number;
  evals?: number;
}

function needs<T>(service: T | undefined, what: string): T {
  if (!service) throw new ApiError('NOT_FOUND', `${what} are not served by this process`);
  return service;
}

/** The draft (or version `version`) with what travels with it. */
export async function exportWorkflow(services: WorkflowFileServices, slug: string, version?: number): Promise<WorkflowFile | Graph> {
  const workflow = await services.workflows.get(slug);
  const graph = version ? (await services.workflows.version(slug, version)).graph : workflow.draft;
  const scenarios = !services.scenarios ? [] : version ? await services.scenarios.versionScenarios(slug, version) : (await services.scenarios.list(slug)).scenarios;
  const evals = !services.evals ? [] : version ? await services.evals.versionSets(slug, version) : (await services.evals.list(slug)).sets;
  if (scenarios.length === 0 && evals.length === 0) return graph;
  return { slug: workflow.slug, name: workflow.name, graph, ...(scenarios.length ? { scenarios } : {}), ...(evals.length ? { evals } : {}) };
}

/** Saves the graph as the draft of `slug`, then its scenarios and eval sets; refuses before saving anything if one cannot be used. */
export async function importWorkflow(services: WorkflowFileServices, request: ImportRequest): Promise<ImportOutcome> {
  const graph = parseGraph(request.graph);
  const scenarios = request.scenarios === undefined ? undefined : needs(services.scenarios, 'scenarios').check(request.scenarios);
  const evals = request.evals === undefined ? undefined : needs(services.evals, 'eval sets').check(request.evals, graph);
  const saved = await services.workflows.saveDraft(request.slug, { name: request.name, graph, expectedRev: request.expectedRev, by: request.by });
  // The stored forms (without `format`), checked above: what replace stores cannot be refused now.
  if (scenarios) await services.scenarios!.replace(request.slug, { scenarios: request.scenarios });
  if (evals) await services.evals!.replace(request.slug, evals);
  return {
    created: saved.created,
    slug: saved.workflow.slug,
    name: saved.workflow.name,
    draftRev: saved.workflow.draftRev,
    ...(scenarios ? { scenarios: scenarios.length } : {}),
    ...(evals ? { evals: evals.length } : {}),
  };
}
