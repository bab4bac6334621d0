// A workflow's eval sets for the API and the CLI: stored with the draft (one per ai node), frozen
// into each version at publish, run on the draft or a version against the configured models (each
// run stored, so scores show per version and a draft run is compared with the last published
// version's), and — when a set has a threshold — run before publishing, which a score below it
// refuses (422 naming the node and the score).
import { orphanProblems, readEvalSets } from '../../../shared/evals/check-eval-set.js';
import { MAX_EVAL_SETS, type EvalSet } from '../../../shared/evals/eval-set.schema.js';
import type { EvalReport, EvalRunSummary } from '../../../shared/evals/eval-report.js';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import { validateGraph } from '../../../shared/validate.js';
import type { ActionRegistry } from '../../actions/registry.js';
import type { EvalsRepo } from '../../db/repos/evals.repo.js';
import { graphHash } from '../../db/versions.js';
import type { Clock } from '../../engine/clock.js';
import { ApiError } from '../../errors.js';
import type { PublishHooks } from '../../services/scenarios.service.js';
import { readStoredGraph, validateOptions } from '../../services/graph-checks.js';
import type { ModelClient } from '../model-client.js';
import { runEvals } from './run-evals.js';

const RECENT_RUNS = 50;

const withoutNode = ({ node: _node, ...rest }: EvalSet) => rest;

type StoredRun = { id: string; version: number | null; score: number; results: string; origin: string; ranBy: string | null; ranAt: Date };

function summary(run: StoredRun): EvalRunSummary {
  const report = JSON.parse(run.results) as EvalReport;
  return { id: run.id, version: run.version, score: run.score, nodes: report.nodes.map(({ node, score }) => ({ node, score })), origin: run.origin, ranBy: run.ranBy, ranAt: run.ranAt.toISOString() };
}

export function createEvalsService(deps: { repo: EvalsRepo; models: ModelClient; actions: ActionRegistry; clock: Clock }) {
  const { repo, clock } = deps;
  const now = () => clock.now();
  /** A publish's eval report, kept from beforePublish until afterPublish knows the version number. */
  const pendingPublish = new Map<string, { report: EvalReport; graph: Graph }>();

  async function workflowOf(slug: string) {
    const workflow = await repo.workflow(slug);
    if (!workflow) throw new ApiError('NOT_FOUND', `no workflow "${slug}"`);
    return workflow;
  }

  /** Runs are ordered by when they ran: a run within the same millisecond as the last goes 1 ms after it. */
  async function ranAt(workflowId: string): Promise<Date> {
    const [last] = await repo.runs(workflowId, 1);
    return new Date(Math.max(now(), last ? last.ranAt.getTime() + 1 : 0));
  }

  async function draftSets(workflowId: string): Promise<EvalSet[]> {
    return (await repo.list(workflowId)).map((row) => ({ node: row.nodeId, ...(JSON.parse(row.definition) as Omit<EvalSet, 'node'>) }));
  }

  function refuse(problems: string[]): never {
    throw new ApiError('INVALID_INPUT', problems[0], problems.map((message) => ({ code: 'EVAL_SET_INVALID', message })));
  }

  /** Sets as a client sends them, checked against the draft: each names an ai node of it. */
  function checked(value: unknown, draft: string): EvalSet[] {
    return checkedAgainst(value, readStoredGraph(draft));
  }

  function checkedAgainst(value: unknown, graph: Graph): EvalSet[] {
    if (Array.isArray(value) && value.length > MAX_EVAL_SETS) refuse([`evals: at most ${MAX_EVAL_SETS} eval sets, not ${value.length}`]);
    const read = readEvalSets(value);
    if (!read.ok) refuse(read.problems);
    const orphans = orphanProblems(read.sets, graph);
    if (orphans.length) refuse(orphans);
    return read.sets;
  }

  /** `sets`: run these (a file's, `cairn eval --sets`) on the draft instead of the stored ones. */
  async function run(slug: string, options: { version?: number; nodes?: string[]; sets?: unknown; origin: string; by?: string }) {
    const workflow = await workflowOf(slug);
    let graph: Graph;
    let sets: EvalSet[];
    let hash: string;
    if (options.version !== undefined) {
      const row = await repo.version(workflow.id, options.version);
      if (!row) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no version ${options.version}`);
      graph = readStoredGraph(row.graph);
      sets = row.evals ? (JSON.parse(row.evals) as EvalSet[]) : [];
      hash = row.graphHash;
    } else {
      const result = validateGraph(JSON.parse(workflow.draft), validateOptions(deps.actions));
      if (!result.ok) throw new ApiError('INVALID_GRAPH', `the draft of "${slug}" has ${result.problems.length} problem(s): ${result.problems[0].message}`, result.problems);
      graph = result.graph;
      sets = options.sets === undefined ? await draftSets(workflow.id) : checked(options.sets, workflow.draft);
      hash = graphHash(graph);
    }
    if (options.nodes) {
      const missing = options.nodes.filter((node) => !sets.some((set) => set.node === node));
      if (missing.length) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no eval set for ${missing.map((node) => `node "${node}"`).join(', ')}${options.version ? ` in version ${options.version}` : ''}`);
    }
    if (sets.length === 0) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no eval sets${options.version ? ` in version ${options.version}` : ''}; add cases to an ai node first`);
    const report = await runEvals(graph, sets, { models: deps.models, workflow: slug, now, nodes: options.nodes });
    const stored = await repo.addRun({ workflowId: workflow.id, version: options.version ?? null, graphHash: hash, score: report.score, results: JSON.stringify(report), origin: options.origin, ranBy: options.by, ranAt: await ranAt(workflow.id) });
    // A draft's run is compared with the last published version's newest run.
    const latest = options.version === undefined ? await repo.latestVersion(workflow.id) : null;
    const previous = latest ? await repo.latestRun(workflow.id, latest.version) : null;
    return { report, run: summary(stored), compare: latest ? { version: latest.version, run: previous ? summary(previous) : null } : null };
  }

  const hooks: PublishHooks = {
    async beforePublish(workflow, graph) {
      pendingPublish.delete(workflow.id);
      const gated = (await draftSets(workflow.id)).filter((set) => set.threshold !== undefined && !orphanProblems([set], graph).length);
      if (gated.length === 0) return;
      const report = await runEvals(graph, gated, { models: deps.models, workflow: workflow.slug, now });
      const below = report.nodes.filter((node) => !node.passed);
      if (below.length === 0) return void pendingPublish.set(workflow.id, { report, graph });
      const problems = below.map((node) => ({
        code: 'EVAL_BELOW_THRESHOLD',
        nodeId: node.node,
        score: node.score,
        threshold: node.threshold,
        message: `node "${node.node}" scores ${node.score} on its eval set, below its threshold ${node.threshold}${firstReason(node.cases)}`,
      }));
      throw new ApiError('INVALID_GRAPH', `publishing "${workflow.slug}" is blocked: ${problems.map((problem) => problem.message).join('; ')}`, problems);
    },
    async afterPublish(workflow, version) {
      const sets = await draftSets(workflow.id);
      await repo.freeze(workflow.id, version, JSON.stringify(sets));
      const pending = pendingPublish.get(workflow.id);
      pendingPublish.delete(workflow.id);
      if (pending) await repo.addRun({ workflowId: workflow.id, version, graphHash: graphHash(pending.graph), score: pending.report.score, results: JSON.stringify(pending.report), origin: 'publish', ranAt: await ranAt(workflow.id) });
    },
  };

  return {
    hooks,
    async list(slug: string) {
      const workflow = await workflowOf(slug);
      const runs = (await repo.runs(workflow.id, RECENT_RUNS)).map(summary);
      // Per version (and the draft), its newest run: the score per version.
      const byVersion = new Map<string, EvalRunSummary>();
      for (const entry of runs) if (!byVersion.has(String(entry.version))) byVersion.set(String(entry.version), entry);
      return { sets: await draftSets(workflow.id), problems: orphanProblems(await draftSets(workflow.id), readStoredGraph(workflow.draft)), runs, versions: [...byVersion.values()] };
    },
    /** Create or replace one ai node's set. */
    async put(slug: string, set: unknown) {
      const workflow = await workflowOf(slug);
      const [read] = checked([set], workflow.draft);
      if ((await repo.count(workflow.id)) >= MAX_EVAL_SETS && !(await draftSets(workflow.id)).some((existing) => existing.node === read.node)) {
        throw new ApiError('CONFLICT', `workflow "${slug}" already has ${MAX_EVAL_SETS} eval sets`);
      }
      const created = await repo.put(workflow.id, { nodeId: read.node, definition: JSON.stringify(withoutNode(read)) }, new Date(now()));
      return { created, set: read };
    },
    /** Sets checked against a graph not saved yet (an import checks before it saves anything). */
    check: (value: unknown, graph: Graph): EvalSet[] => checkedAgainst(value, graph),
    /** Replace the draft's sets at once: what an import does. */
    async replace(slug: string, value: unknown) {
      const workflow = await workflowOf(slug);
      const sets = checked(value, workflow.draft);
      await repo.replaceAll(workflow.id, sets.map((set) => ({ nodeId: set.node, definition: JSON.stringify(withoutNode(set)) })), new Date(now()));
      return sets;
    },
    async remove(slug: string, node: string) {
      const workflow = await workflowOf(slug);
      if (!(await repo.remove(workflow.id, node))) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no eval set for node "${node}"`);
    },
    async versionSets(slug: string, version: number): Promise<EvalSet[]> {
      const workflow = await workflowOf(slug);
      const row = await repo.version(workflow.id, version);
      if (!row) throw new ApiError('NOT_FOUND', `workflow "${slug}" has no version ${version}`);
      return row.evals ? (JSON.parse(row.evals) as EvalSet[]) : [];
    },
    run,
  };
}

function firstReason(cases: EvalReport['nodes'][number]['cases']): string {
  const failing = cases.find((result) => !result.passed);
  const check = failing?.checks.find((entry) => !entry.passed);
  return failing && check?.message ? ` (case "${failing.name}": ${check.message})` : '';
}

export type EvalsService = ReturnType<typeof createEvalsService>;
