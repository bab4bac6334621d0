// `cairn test [paths]`: finds scenario files (folders are searched for *.scenario.json and
// *.scenarios.json; a file named outright may also be a workflow file with `scenarios`), reads them,
// and resolves each scenario's workflow. A file that cannot be used is a problem naming it and the step.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { checkReferences } from '../../shared/scenarios/check-references.js';
import { parseScenarios } from '../../shared/scenarios/parse-scenarios.js';
import type { Scenario } from '../../shared/scenarios/scenario.schema.js';
import { validateGraph, type ValidateOptions } from '../../shared/validate.js';
import type { ScenarioCase } from './runner.js';

/** Larger than any workflow export: a scenario file past it is refused unread. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const SCENARIO_FILE = /\.scenarios?\.json$/i;

export class ScenarioPathError extends Error {}

export interface LoadProblem {
  source: string;
  message: string;
}

export interface WorkflowUnderTest {
  /** The graph file (or workflow file) it was read from. */
  source: string;
  slug: string;
  graph: Graph;
}

export interface Loaded {
  cases: ScenarioCase[];
  workflows: Map<string, WorkflowUnderTest>;
  problems: LoadProblem[];
}

function walk(dir: string, found: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, found);
    else if (entry.isFile() && SCENARIO_FILE.test(entry.name)) found.push(full);
  }
}

/** The scenario files the paths name; a path that does not exist, or a folder with none, is refused. */
export function collectFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const given of paths) {
    let stats;
    try {
      stats = statSync(given);
    } catch {
      throw new ScenarioPathError(`${given}: no such file or folder`);
    }
    if (stats.isDirectory()) {
      const before = files.length;
      walk(given, files);
      if (files.length === before) throw new ScenarioPathError(`${given}: no scenario files (*.scenario.json, *.scenarios.json) in this folder`);
    } else files.push(given);
  }
  return [...new Set(files)];
}

function readJson(file: string): unknown {
  const size = statSync(file).size;
  if (size > MAX_FILE_BYTES) throw new Error(`${file}: ${size.toLocaleString('en')} bytes; a scenario or workflow file is at most ${MAX_FILE_BYTES.toLocaleString('en')}`);
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON: ${(error as Error).message}`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function createLoader(validateOptions: (extraActions: string[]) => ValidateOptions) {
  const workflows = new Map<string, WorkflowUnderTest>();

  /** A graph file or a workflow file `{ slug, name, graph }`, validated as publish would. */
  function workflowFrom(file: string, value: unknown, extraActions: string[]): WorkflowUnderTest {
    const key = path.resolve(file);
    const known = workflows.get(key);
    if (known) return known;
    const wrapped = isObject(value) && 'graph' in value ? value : undefined;
    const result = validateGraph(wrapped ? wrapped.graph : value, validateOptions(extraActions));
    if (!result.ok) throw new Error(`${file} is not a valid workflow:\n${result.problems.map((problem) => `  - [${problem.code}] ${problem.message}`).join('\n')}`);
    const slug = typeof wrapped?.slug === 'string' && /^[a-z0-9][a-z0-9-]{0,62}$/.test(wrapped.slug) ? wrapped.slug : path.basename(file).replace(/\.json$/i, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'workflow';
    const workflow = { source: file, slug, graph: result.graph };
    workflows.set(key, workflow);
    return workflow;
  }

  function resolveWorkflow(file: string, scenario: Scenario, embedded: WorkflowUnderTest | undefined, extraActions: string[]): WorkflowUnderTest {
    const ref = scenario.workflow;
    if (!ref || 'draft' in ref) {
      if (embedded) return embedded;
      throw new Error(ref ? 'workflow { "draft": true } means the workflow the scenario is stored with; in a file, name the graph: { "file": "…" }' : 'no workflow: give "workflow": { "file": "<graph or workflow file>" }');
    }
    if ('version' in ref) throw new Error(`workflow { "version": ${ref.version} } runs where the workflow is stored (POST /api/v1/workflows/:slug/scenarios/run); in a file, name the graph: { "file": "…" }`);
    const graphFile = path.resolve(path.dirname(file), ref.file);
    let value: unknown;
    try {
      value = readJson(graphFile);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(code ? `workflow file ${ref.file} (${graphFile}): ${code === 'ENOENT' ? 'no such file' : code}` : (error as Error).message);
    }
    return workflowFrom(graphFile, value, extraActions);
  }

  /** Every scenario in `file`, resolved and checked against its graph; problems instead of cases when it cannot be used. */
  function loadFile(file: string): { cases: ScenarioCase[]; problems: LoadProblem[] } {
    let value: unknown;
    try {
      value = readJson(file);
    } catch (error) {
      return { cases: [], problems: [{ source: file, message: (error as Error).message }] };
    }
    // A workflow file (an export) with its scenarios: they run against its graph.
    const isWorkflowFile = isObject(value) && 'graph' in value;
    const read = isWorkflowFile ? parseScenarios({ format: 'cairn.scenario/v1', scenarios: (value as { scenarios?: unknown }).scenarios }, file) : parseScenarios(value, file);
    if (!read.ok) return { cases: [], problems: read.problems.map((message) => ({ source: file, message })) };
    const cases: ScenarioCase[] = [];
    const problems: LoadProblem[] = [];
    for (const scenario of read.scenarios) {
      const where = `${file}: scenario "${scenario.name}"`;
      const extraActions = scenario.steps.flatMap((step) => ('stub' in step && 'action' in step.stub ? [step.stub.action] : []));
      try {
        const embedded = isWorkflowFile ? workflowFrom(file, value, extraActions) : undefined;
        const workflow = resolveWorkflow(file, scenario, embedded, extraActions);
        const referenceProblems = checkReferences(scenario, workflow.graph, where);
        if (referenceProblems.length) problems.push(...referenceProblems.map((message) => ({ source: file, message })));
        else cases.push({ scenario, graph: workflow.graph, slug: workflow.slug, source: file, workflowSource: workflow.source });
      } catch (error) {
        problems.push({ source: file, message: `${where}: ${(error as Error).message}` });
      }
    }
    return { cases, problems };
  }

  return {
    workflows,
    load(files: readonly string[]): Loaded {
      const loaded: Loaded = { cases: [], workflows, problems: [] };
      for (const file of files) {
        const { cases, problems } = loadFile(file);
        loaded.cases.push(...cases);
        loaded.problems.push(...problems);
      }
      return loaded;
    },
  };
}
