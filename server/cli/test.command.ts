// `cairn test [paths…] [--junit FILE] [--require-coverage]`: runs scenario files on the real engine
// with a virtual clock, prints a line per scenario, coverage per workflow and `N passed, N failed`.
// Exit code 0 when all pass (and, with --require-coverage, every node and edge is reached), else 1.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setExpressionBudget } from '../../shared/expressions.js';
import { builtinActions } from '../actions/builtin.actions.js';
import { parseAllowList } from '../actions/egress.js';
import { ActionRegistry } from '../actions/registry.js';
import { validateOptions } from '../services/graph-checks.js';
import { CliError } from './cli-error.js';
import { fullyCovered } from '../scenarios/coverage.js';
import { junitXml } from '../scenarios/junit.js';
import { runScenarios } from '../scenarios/run-all.js';
import { collectFiles, createLoader, ScenarioPathError } from '../scenarios/scenario-files.js';
import type { ScenarioResult } from '../scenarios/runner.js';

export interface TestCommandOptions {
  paths: string[];
  junit?: string;
  requireCoverage: boolean;
  timeoutMs?: number;
  /** CAIRN_HTTP_ALLOW and CAIRN_EXPRESSION_TIMEOUT_MS, as the server reads them. */
  httpAllow?: string | readonly string[];
  expressionTimeoutMs?: number;
  out: (line: string) => void;
}

const shown = (file: string) => path.relative(process.cwd(), file) || file;

function resultLine(result: ScenarioResult): string[] {
  const head = `${result.passed ? '✓' : '✗'} ${shown(result.source)} › ${result.name} (${result.wallMs} ms)`;
  return [head, ...result.failures.map((failure) => `    ${failure}`)];
}

export async function testCommand(options: TestCommandOptions): Promise<number> {
  if (options.expressionTimeoutMs !== undefined) setExpressionBudget({ timeoutMs: options.expressionTimeoutMs });
  let files: string[];
  try {
    files = collectFiles(options.paths.length ? options.paths : ['.']);
  } catch (error) {
    if (error instanceof ScenarioPathError) throw new CliError(error.message);
    throw error;
  }
  const actions = new ActionRegistry(builtinActions);
  const base = validateOptions(actions);
  const loader = createLoader((extra) => ({ ...base, actions: [...(base.actions ?? []), ...extra] }));
  const loaded = loader.load(files);
  const began = performance.now();
  const run = await runScenarios(loaded.cases, {
    actions,
    egress: parseAllowList(options.httpAllow ?? []),
    timeoutMs: options.timeoutMs,
    onResult: (result) => resultLine(result).forEach((line) => options.out(line)),
  });
  for (const problem of loaded.problems) {
    options.out(`✗ ${shown(problem.source)} (cannot be run)`);
    for (const line of problem.message.split('\n')) options.out(`    ${line}`);
  }
  if (run.coverage.length) options.out('coverage:');
  for (const coverage of run.coverage) {
    const missed = [...coverage.nodes.missed.map((id) => `node ${id}`), ...coverage.edges.missed.map((edge) => `edge ${edge}`)];
    options.out(`  ${shown(coverage.workflow)}: nodes ${coverage.nodes.reached}/${coverage.nodes.total}, edges ${coverage.edges.reached}/${coverage.edges.total}${missed.length ? `; not reached: ${missed.join(', ')}` : ''}`);
  }
  const passed = run.results.filter((result) => result.passed).length;
  const failed = run.results.length - passed + loaded.problems.length;
  const incomplete = options.requireCoverage && !run.coverage.every(fullyCovered);
  if (incomplete) options.out('coverage is incomplete: some nodes or edges no scenario reaches (--require-coverage)');
  if (options.junit) writeFileSync(options.junit, junitXml(run.results, loaded.problems, { timestamp: new Date() }));
  options.out(`${run.results.length} scenario(s) in ${Math.round(performance.now() - began)} ms`);
  options.out(`${passed} passed, ${failed} failed`);
  return failed > 0 || incomplete ? 1 : 0;
}
