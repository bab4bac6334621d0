// `cairn eval <slug> [--version N] [--node ID]… [--sets FILE] [--json]`: runs a workflow's eval sets
// (the draft's, a version's, or a cairn.evals/v1 file's on the draft) against the configured models
// (CAIRN_AI_*), prints a line per case, the score per node against its threshold, the comparison with
// the last published version, and keeps the run (the editor shows it). Exit 0 when every node meets
// its threshold, 1 when one is below, 2 for bad input.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { EvalReport } from '../../shared/evals/eval-report.js';
import { evalsFileSchema } from '../../shared/evals/eval-set.schema.js';
import { createEvalsService } from '../ai/evals/evals.service.js';
import { createModelClient } from '../ai/model-client.js';
import { createActionRegistry, loadTeamActions } from '../actions/team-actions.js';
import type { Config } from '../config.js';
import { openEngineDatabase } from '../db/engine-database.js';
import { createPrismaClient } from '../db/prisma-client.js';
import { createEvalsRepo } from '../db/repos/evals.repo.js';
import { systemClock } from '../engine/clock.js';
import { ApiError } from '../errors.js';
import { CliError } from './cli-error.js';

export interface EvalCommandOptions {
  slug: string;
  version?: string;
  nodes: string[];
  setsFile?: string;
  json: boolean;
  print: (line: string) => void;
}

const score = (value: number) => value.toFixed(3).replace(/\.?0+$/, '') || '0';

function readSets(file: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const read = evalsFileSchema.safeParse(parsed);
  if (!read.success) throw new CliError(`${file} is not a cairn.evals/v1 file: ${read.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || 'file'}: ${issue.message}`).join('; ')}`);
  return (parsed as { sets: unknown }).sets;
}

function reportLines(report: EvalReport): string[] {
  const lines: string[] = [];
  for (const node of report.nodes) {
    for (const result of node.cases) {
      lines.push(`${result.passed ? '✓' : '✗'} ${node.node} › ${result.name} (${score(result.score)}; ${result.attempts} attempt(s), ${result.repairs} repair(s), ${result.latencyMs} ms)`);
      for (const check of result.checks) if (!check.passed) lines.push(`    ${check.check}: ${check.message}`);
    }
    const gate = node.threshold === undefined ? '' : node.passed ? ` (threshold ${node.threshold}: met)` : ` (threshold ${node.threshold}: below)`;
    lines.push(`${node.node}: ${score(node.score)}${gate}`);
  }
  for (const problem of report.problems) lines.push(`! ${problem}`);
  return lines;
}

export async function evalCommand(config: Config, options: EvalCommandOptions): Promise<number> {
  const version = options.version === undefined ? undefined : Number(options.version);
  if (version !== undefined && (!Number.isInteger(version) || version < 1)) throw new CliError(`--version must be a version number, not "${options.version}"`);
  if (version !== undefined && options.setsFile) throw new CliError('--sets runs a file\'s sets on the draft; leave out --version');
  const sets = options.setsFile ? readSets(options.setsFile) : undefined;
  await (await openEngineDatabase(config.DATABASE_URL)).close(); // creates (SQLite) and migrates the database if needed
  const prisma = await createPrismaClient(config.DATABASE_URL);
  try {
    const actions = createActionRegistry({ team: await loadTeamActions(config) });
    const evals = createEvalsService({ repo: createEvalsRepo(prisma), models: createModelClient(config.ai), actions, clock: systemClock });
    const outcome = await evals.run(options.slug, { version, nodes: options.nodes.length ? options.nodes : undefined, sets, origin: 'cli' });
    if (options.json) options.print(JSON.stringify(outcome, null, 2));
    else {
      reportLines(outcome.report).forEach((line) => options.print(line));
      const previous = outcome.compare?.run;
      if (outcome.compare && previous) options.print(`version ${outcome.compare.version}: ${score(previous.score)} → draft: ${score(outcome.report.score)}`);
      else if (outcome.compare) options.print(`version ${outcome.compare.version} has no eval run to compare with (cairn eval ${options.slug} --version ${outcome.compare.version})`);
      options.print(`score ${score(outcome.report.score)}`);
    }
    return outcome.report.nodes.every((node) => node.passed) ? 0 : 1;
  } catch (error) {
    if (error instanceof ApiError) {
      const details = Array.isArray(error.details) ? error.details.slice(1, 10).map((problem: { message: string }) => `\n  - ${problem.message}`).join('') : '';
      throw new CliError(`${error.message}${details}`);
    }
    throw error;
  } finally {
    await prisma.$disconnect();
  }
}

export const EVAL_USAGE = `  eval <slug> [--version N] [--node ID]… run a workflow's eval sets against the configured models
      [--sets <file>] [--json]          (CAIRN_AI_*); exit 1 when a node scores below its threshold`;

/** The `eval` verb's arguments, read as main.ts reads the others'. */
export function evalCli(args: string[], config: () => Config, print: (line: string) => void): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { version: { type: 'string' }, node: { type: 'string', multiple: true }, sets: { type: 'string' }, json: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) throw new CliError(`eval takes one workflow slug\n\nusage:\n${EVAL_USAGE}`);
  return evalCommand(config(), { slug: positionals[0], version: values.version, nodes: values.node ?? [], setsFile: values.sets, json: values.json ?? false, print });
}
