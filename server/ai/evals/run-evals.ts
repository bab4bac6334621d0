// Runs eval sets on a graph: each set's cases, one after another (a provider's rate limit is shared,
// and scripted test servers answer in order), against the set's `ai` node as configured in that
// graph. Scores: a case's is its share of passed checks, a node's the mean of its cases', the
// report's the mean of its nodes'.
import { orphanProblems } from '../../../shared/evals/check-eval-set.js';
import type { EvalSet } from '../../../shared/evals/eval-set.schema.js';
import { roundScore, type EvalCaseResult, type EvalNodeReport, type EvalReport } from '../../../shared/evals/eval-report.js';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import { aiNode, type AiConfig } from '../../../shared/nodes/ai.node.js';
import type { ModelClient } from '../model-client.js';
import { runCase } from './run-case.js';

export interface RunEvalsOptions {
  models: ModelClient;
  workflow: string;
  now: () => number;
  /** Only these nodes' sets. */
  nodes?: readonly string[];
  onCase?: (node: string, result: EvalCaseResult) => void;
}

const mean = (values: number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 1);

export async function runEvals(graph: Graph, sets: readonly EvalSet[], options: RunEvalsOptions): Promise<EvalReport> {
  const chosen = options.nodes ? sets.filter((set) => options.nodes!.includes(set.node)) : sets;
  const problems = orphanProblems(chosen, graph);
  const nodes: EvalNodeReport[] = [];
  for (const set of chosen) {
    const node = graph.nodes.find((candidate) => candidate.id === set.node && candidate.kind === 'ai');
    if (!node) continue;
    const parsed = aiNode.config.safeParse(node.config);
    if (!parsed.success) {
      problems.push(`eval set "${set.node}": node "${set.node}" has an invalid configuration: ${parsed.error.issues[0]?.message}`);
      continue;
    }
    const config: AiConfig = parsed.data;
    const cases: EvalCaseResult[] = [];
    for (const evalCase of set.cases) {
      const result = await runCase(evalCase, { models: options.models, nodeId: set.node, config, workflow: options.workflow, now: options.now });
      result.score = roundScore(result.score);
      cases.push(result);
      options.onCase?.(set.node, result);
    }
    const score = roundScore(mean(cases.map((result) => result.score)));
    nodes.push({ node: set.node, score, ...(set.threshold !== undefined && { threshold: set.threshold }), passed: set.threshold === undefined || score >= set.threshold, cases });
  }
  return { score: roundScore(mean(nodes.map((report) => report.score))), nodes, problems };
}
