// `cairn export <slug>` and `cairn import <file>`: graphs in and out as cairn.graph/v1 JSON; a workflow
// with scenarios travels as `{ slug, name, graph, scenarios }` (the draft's, or those frozen in a version).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { parseScenarios } from '../../shared/scenarios/parse-scenarios.js';
import { SCENARIO_FORMAT } from '../../shared/scenarios/scenario.schema.js';
import { ApiError } from '../errors.js';
import { CliError } from './cli-error.js';
import { withLocalServices } from './local-services.js';

const asCliError = (error: unknown): never => {
  if (error instanceof ApiError) {
    const details = Array.isArray(error.details) ? `\n${error.details.map((problem: { message: string }) => `  - ${problem.message}`).join('\n')}` : '';
    throw new CliError(`${error.message}${details}`);
  }
  throw error;
};

/** The draft, or a published version, of a workflow as graph JSON (to a file, or printed). */
export async function exportCommand(config: Config, options: { slug: string; version?: number; out?: string; print: (text: string) => void }): Promise<void> {
  const exported = await withLocalServices(config, async ({ workflows, scenarios }) => {
    const workflow = await workflows.get(options.slug);
    const graph = options.version ? (await workflows.version(options.slug, options.version)).graph : workflow.draft;
    const list = options.version ? await scenarios.versionScenarios(options.slug, options.version) : (await scenarios.list(options.slug)).scenarios;
    return list.length ? { slug: workflow.slug, name: workflow.name, graph, scenarios: list } : graph;
  }).catch(asCliError);
  const text = `${JSON.stringify(exported, null, 2)}\n`;
  if (options.out) writeFileSync(options.out, text);
  else options.print(text.trimEnd());
}

/** A graph file (or an example file { slug, name, graph }) saved as a workflow's draft; optionally published. */
export async function importCommand(config: Config, options: { file: string; slug?: string; name?: string; publish: boolean; print: (text: string) => void }): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(options.file, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const wrapped = parsed && typeof parsed === 'object' && 'graph' in parsed ? (parsed as { slug?: string; name?: string; graph: unknown }) : undefined;
  const graph = wrapped ? wrapped.graph : parsed;
  const slug = options.slug ?? wrapped?.slug ?? path.basename(options.file).replace(/\.json$/i, '').toLowerCase();
  const scenarios = (parsed as { scenarios?: unknown }).scenarios;
  if (wrapped && scenarios !== undefined) {
    // Checked before anything is saved: a file with a bad scenario imports nothing.
    const read = parseScenarios({ format: SCENARIO_FORMAT, scenarios }, options.file);
    if (!read.ok) throw new CliError(`${options.file} has scenarios that cannot be used:\n${read.problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
  await withLocalServices(config, async ({ workflows, scenarios: stored }) => {
    const saved = await workflows.saveDraft(slug, { name: options.name ?? wrapped?.name, graph });
    options.print(`${saved.created ? 'created' : 'updated'} the draft of ${slug} (revision ${saved.workflow.draftRev})`);
    if (wrapped && Array.isArray(scenarios)) {
      await stored.replace(slug, { scenarios });
      options.print(`stored ${scenarios.length} scenario(s) with the draft`);
    }
    if (options.publish) {
      const { version, created } = await workflows.publish(slug, `imported from ${path.basename(options.file)}`);
      options.print(created ? `published ${slug} version ${version}` : `${slug} version ${version} already has this graph`);
    }
  }).catch(asCliError);
}

/** `cairn token create --role R`: prints the token once; only its hash is stored. */
export async function createTokenCommand(config: Config, options: { role?: string; name?: string; print: (text: string) => void }): Promise<void> {
  await withLocalServices(config, async ({ accounts }) => {
    const token = await accounts.createToken({ role: options.role, name: options.name ?? `cli-${options.role}` });
    options.print(token.token);
  }).catch(asCliError);
}
