// Describing workflows for the API: a description becomes a new workflow's draft (never published;
// a scenario the model wrote for it is stored beside it when it reads as one), and an instruction
// becomes a proposed change to a graph the editor holds (not saved: the editor shows it as a diff to
// accept or reject). Without a model configured, both say how to configure one.
import type { Graph } from '../../../shared/graph/graph.schema.js';
import { reviewLines } from '../../../shared/describe/review-lines.js';
import type { ActionRegistry } from '../../actions/registry.js';
import { ApiError } from '../../errors.js';
import type { ScenariosService } from '../../services/scenarios.service.js';
import { validateOptions } from '../../services/graph-checks.js';
import type { WorkflowsService } from '../../services/workflows.service.js';
import type { ModelClient, ModelConfig } from '../model-client.js';
import type { Asked } from './ask-with-repairs.js';
import { changeWorkflow, describeWorkflow, type DescribeDeps } from './describe.js';
import { buildReference } from './reference.js';

export const NO_MODEL_HINT =
  'No model is configured. Set CAIRN_AI_BASE_URL (an OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama) and CAIRN_AI_MODELS (e.g. {"default":"gpt-4o-mini"}), with CAIRN_AI_API_KEY if it needs one, and restart Cairn.';

/** The configured model a description is sent to: "default", else the first configured name. */
export function describeModel(config: ModelConfig): string | undefined {
  if (config.baseURL === undefined) return undefined;
  const names = Object.keys(config.models);
  return names.includes('default') ? 'default' : names[0];
}

function slugOf(name: string): string {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
  return /^[a-z]/.test(base) ? base : `described-${base || 'workflow'}`.replace(/-+$/, '');
}

function refused<T>(asked: Extract<Asked<T>, { ok: false }>): never {
  if (asked.reason === 'provider') {
    if (asked.code === 'NO_MODEL') throw new ApiError('BAD_REQUEST', NO_MODEL_HINT);
    throw new ApiError('BAD_REQUEST', `the model could not be asked (${asked.code}): ${asked.message}`);
  }
  const message = `the model's answer was still not a valid workflow after ${asked.repairs} repair turn(s): ${asked.problems[0]}`;
  throw new ApiError('INVALID_GRAPH', message, asked.problems.map((text) => ({ code: 'AI_ANSWER_INVALID', message: text })));
}

export function createDescribeService(deps: { models: ModelClient; config: ModelConfig; actions: ActionRegistry; workflows: WorkflowsService; scenarios?: ScenariosService }) {
  const model = describeModel(deps.config);
  const describeDeps = (): DescribeDeps => {
    if (model === undefined) throw new ApiError('BAD_REQUEST', NO_MODEL_HINT);
    return { models: deps.models, model, reference: buildReference(deps.actions.describe()), validate: validateOptions(deps.actions) };
  };

  async function freeSlug(name: string): Promise<string> {
    const taken = new Set((await deps.workflows.list()).map((workflow) => workflow.slug));
    const base = slugOf(name);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (!taken.has(candidate)) return candidate;
    }
  }

  return {
    status: () => (model === undefined ? { configured: false as const, hint: NO_MODEL_HINT } : { configured: true as const, model }),

    /** A new workflow's draft from a description; answers what was added, one line per node. */
    async describe(description: string, by?: string) {
      const asked = await describeWorkflow(describeDeps(), description);
      if (!asked.ok) refused(asked);
      const { graph, scenario } = asked.result;
      const name = asked.result.name ?? description.trim().split('\n')[0].slice(0, 60);
      const slug = await freeSlug(name);
      await deps.workflows.saveDraft(slug, { name, graph, by });
      let scenarioStored: string | null = null;
      if (scenario && deps.scenarios) {
        // A scenario that does not read or does not fit the graph is left out, not a failure.
        const scenarioName = typeof (scenario as { name?: unknown }).name === 'string' ? String((scenario as { name: string }).name).slice(0, 100) : 'main path';
        scenarioStored = await deps.scenarios.put(slug, scenarioName, { ...scenario, name: scenarioName }).then(() => scenarioName, () => null);
      }
      return { slug, name, graph, lines: reviewLines(graph), scenario: scenarioStored, attempts: asked.attempts, repairs: asked.repairs, latencyMs: asked.latencyMs };
    },

    /** A proposed change to `graph` (the editor's, maybe unsaved): not saved; the editor shows it as a diff. */
    async change(options: { graph: Graph; instruction: string; focus: string[] }) {
      const asked = await changeWorkflow(describeDeps(), options.graph, { instruction: options.instruction, focus: options.focus });
      if (!asked.ok) refused(asked);
      const { graph, added, changed, removed } = asked.result;
      const lines = reviewLines(graph).filter((line) => added.includes(line.nodeId) || changed.includes(line.nodeId));
      return { graph, added, changed, removed, lines, attempts: asked.attempts, repairs: asked.repairs, latencyMs: asked.latencyMs };
    },
  };
}

export type DescribeService = ReturnType<typeof createDescribeService>;
