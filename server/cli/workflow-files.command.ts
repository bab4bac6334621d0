// `cairn export <slug>` and `cairn import <file>`: graphs in and out as cairn.graph JSON; a workflow
// with scenarios or eval sets travels as `{ slug, name, graph, scenarios?, evals? }` (the draft's, or
// those frozen in a version), as the web app's export and import do (services/workflow-files.service.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import { exportWorkflow, importWorkflow } from '../services/workflow-files.service.js';
import { CliError } from './cli-error.js';
import { withLocalServices } from './local-services.js';

const asCliError = (file?: string) => (error: unknown): never => {
  if (error instanceof ApiError) {
    const details = Array.isArray(error.details) && error.details.length > 1 ? `\n${error.details.map((problem: { message: string }) => `  - ${problem.message}`).join('\n')}` : '';
    throw new CliError(`${file ? `${file}: ` : ''}${error.message}${details}`);
  }
  throw error;
};

/** The draft, or a published version, of a workflow as graph JSON (to a file, or printed). */
export async function exportCommand(config: Config, options: { slug: string; version?: number; out?: string; print: (text: string) => void }): Promise<void> {
  const exported = await withLocalServices(config, (services) => exportWorkflow(services, options.slug, options.version)).catch(asCliError());
  const text = `${JSON.stringify(exported, null, 2)}\n`;
  if (options.out) writeFileSync(options.out, text);
  else options.print(text.trimEnd());
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * A graph file, or a workflow file `{ slug?, name?, graph, scenarios?, evals? }`, saved as a workflow's
 * draft (with its scenarios and eval sets, all checked before anything is saved); optionally published.
 */
export async function importCommand(config: Config, options: { file: string; slug?: string; name?: string; publish: boolean; print: (text: string) => void }): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(options.file, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CliError(`${options.file} holds no workflow: expected a graph or { slug, name, graph }`);
  const wrapped = 'graph' in parsed ? (parsed as { slug?: unknown; name?: unknown; graph: unknown; scenarios?: unknown; evals?: unknown }) : undefined;
  const slug = options.slug ?? (typeof wrapped?.slug === 'string' ? wrapped.slug : path.basename(options.file).replace(/\.json$/i, '').toLowerCase());
  const name = options.name ?? (typeof wrapped?.name === 'string' ? wrapped.name : undefined);
  await withLocalServices(config, async (services) => {
    const saved = await importWorkflow(services, { slug, name, graph: wrapped ? wrapped.graph : parsed, scenarios: wrapped?.scenarios, evals: wrapped?.evals });
    options.print(`${saved.created ? 'created' : 'updated'} the draft of ${slug} (revision ${saved.draftRev})`);
    if (saved.scenarios !== undefined) options.print(`stored ${saved.scenarios} scenario(s) with the draft`);
    if (saved.evals !== undefined) options.print(`stored ${count(saved.evals, 'eval set')} with the draft`);
    if (options.publish) {
      const { version, created } = await services.workflows.publish(slug, `imported from ${path.basename(options.file)}`);
      options.print(created ? `published ${slug} version ${version}` : `${slug} version ${version} already has this graph`);
    }
  }).catch(asCliError(options.file));
}

/** `cairn token create --role R`: prints the token once; only its hash is stored. */
export async function createTokenCommand(config: Config, options: { role?: string; name?: string; print: (text: string) => void }): Promise<void> {
  await withLocalServices(config, async ({ accounts }) => {
    const token = await accounts.createToken({ role: options.role, name: options.name ?? `cli-${options.role}` });
    options.print(token.token);
  }).catch(asCliError());
}
