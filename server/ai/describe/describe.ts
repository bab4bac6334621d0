// Describing a workflow in words and changing one by instruction, as model conversations whose
// answers the real validator (shared/validate.ts) judges: a described graph must be valid as a whole;
// a change must stay inside what the instruction concerns (apply-change.ts) and add no problem the
// graph did not have.
import { GRAPH_FORMAT, type Graph } from '../../../shared/graph/graph.schema.js';
import { validateGraph, type ValidateOptions } from '../../../shared/validate.js';
import type { ModelClient } from '../model-client.js';
import { applyChange, type ChangeScope } from './apply-change.js';
import { askWithRepairs, type Asked, type Checked } from './ask-with-repairs.js';
import { layoutGraph } from './layout.js';
import { changeAnswerSchema, changePrompt, changeSystem, describeAnswerSchema, describePrompt, describeSystem } from './prompts.js';
import type { Reference } from './reference.js';

/** Far more than a workflow a person reads; a larger answer is sent back, not validated. */
export const MAX_DESCRIBED_NODES = 200;

export interface DescribeDeps {
  models: ModelClient;
  model: string;
  reference: Reference;
  validate: ValidateOptions;
  maxRepairs?: number;
}

export interface Described {
  name?: string;
  graph: Graph;
  scenario?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

function checkDescribed(value: unknown, validate: ValidateOptions): Checked<Described> {
  const answer = isObject(value) ? value : {};
  const graph = isObject(answer.graph) ? answer.graph : Array.isArray(answer.nodes) ? answer : undefined;
  if (!graph) return { ok: false, problems: ['the answer has no "graph": answer { "name", "graph": { "format", "nodes", "edges" } }'] };
  if (Array.isArray(graph.nodes) && graph.nodes.length > MAX_DESCRIBED_NODES) {
    return { ok: false, problems: [`the graph has ${graph.nodes.length} nodes; a described workflow has at most ${MAX_DESCRIBED_NODES}`] };
  }
  // A missing format is the one omission filled in rather than sent back.
  const result = validateGraph({ format: GRAPH_FORMAT, ...graph }, validate);
  if (!result.ok) return { ok: false, problems: result.problems.map((problem) => problem.message) };
  const name = typeof answer.name === 'string' && answer.name.trim() ? answer.name.trim().slice(0, 200) : undefined;
  return { ok: true, result: { ...(name && { name }), graph: layoutGraph(result.graph), ...(isObject(answer.scenario) && { scenario: answer.scenario }) } };
}

export function describeWorkflow(deps: DescribeDeps, description: string): Promise<Asked<Described>> {
  return askWithRepairs({
    models: deps.models,
    model: deps.model,
    system: describeSystem(deps.reference),
    prompt: describePrompt(description),
    outputSchema: describeAnswerSchema,
    maxRepairs: deps.maxRepairs,
    check: (value) => checkDescribed(value, deps.validate),
  });
}

export interface Changed {
  graph: Graph;
  added: string[];
  changed: string[];
  removed: string[];
}

const problemKey = (problem: { code: string; message: string }) => `${problem.code}\u0000${problem.message}`;

export function changeWorkflow(deps: DescribeDeps, base: Graph, scope: ChangeScope): Promise<Asked<Changed>> {
  const before = validateGraph(base, deps.validate);
  const existing = new Set(before.ok ? [] : before.problems.map(problemKey));
  return askWithRepairs({
    models: deps.models,
    model: deps.model,
    system: changeSystem(deps.reference),
    prompt: changePrompt(base, scope.instruction, scope.focus),
    outputSchema: changeAnswerSchema,
    maxRepairs: deps.maxRepairs,
    check: (value): Checked<Changed> => {
      const applied = applyChange(base, value, scope);
      if (!applied.ok) return applied;
      if (applied.added.length + applied.changed.length + applied.removed.length === 0 && JSON.stringify(applied.graph.edges) === JSON.stringify(base.edges)) {
        return { ok: false, problems: ['the answer changes nothing; make the change the instruction asks for'] };
      }
      // Only problems the change brings are the model's to fix: an unfinished draft keeps its own.
      const after = validateGraph(applied.graph, deps.validate);
      const added = after.ok ? [] : after.problems.filter((problem) => !existing.has(problemKey(problem)));
      if (added.length) return { ok: false, problems: added.map((problem) => problem.message) };
      return { ok: true, result: { graph: applied.graph, added: applied.added, changed: applied.changed, removed: applied.removed } };
    },
  });
}
