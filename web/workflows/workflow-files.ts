// Pure helpers for the workflows list: slugs from names, the empty draft of a new workflow, reading
// an import file (a bare graph or `{ slug, name, graph, scenarios?, evals? }`, as `cairn export` writes
// it) and downloading a workflow as JSON.
import type { inferRouterOutputs } from '@trpc/server';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { LIMITS, formatBytes } from '../../shared/limits.js';
import type { AppRouter } from '../app/trpc.js';

/**
 * GRAPH_FORMAT, typed against the schema but not imported from it: importing the schema would put zod
 * in the first bundle, which only the editor needs.
 */
const GRAPH_FORMAT: Graph['format'] = 'cairn.graph/v2';

/** The server's rule (workflows.service SLUG): lower-case letters, digits and dashes, at most 63. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const SLUG_MAX = 63;
export const NAME_MAX = 200;

/** "Expense approval (EU)" → "expense-approval-eu"; accents are folded, other symbols become dashes. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
}

/** "payment-retry" → "Payment retry": a readable default name for an imported graph. */
export function nameFromSlug(slug: string): string {
  const words = slug.replace(/-+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : '';
}

/** Why a slug cannot be used, or null when it can. */
export function slugProblem(slug: string, taken: ReadonlySet<string>): string | null {
  if (!slug) return 'Enter a slug.';
  if (!SLUG_PATTERN.test(slug)) return 'Use lower-case letters, digits and dashes, starting with a letter or digit.';
  if (taken.has(slug)) return `A workflow with the slug “${slug}” already exists.`;
  return null;
}

/** The draft of a new workflow: just its start node. */
export function emptyGraph() {
  return { format: GRAPH_FORMAT, nodes: [{ id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} }], edges: [] };
}

export interface ImportCandidate {
  slug: string;
  name: string;
  graph: unknown;
  /** Stored with the new draft when the file has them; the server checks them before it saves anything. */
  scenarios?: unknown;
  evals?: unknown;
  /** The file it came from, shown in the dialog. */
  fileName: string;
}

export type ImportRead = { ok: true; candidate: ImportCandidate } | { ok: false; message: string };

/**
 * Reads an import file as the CLI's `cairn import` does: `{ slug?, name?, graph, scenarios?, evals? }`
 * or a bare graph whose slug comes from the file name. What it holds is checked by the server.
 */
export function readImportFile(text: string, fileName: string): ImportRead {
  if (text.length > LIMITS.payloadBytes) return { ok: false, message: `${fileName} is ${formatBytes(text.length)}; a workflow must be under ${formatBytes(LIMITS.payloadBytes)}.` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${fileName} is not valid JSON: ${(error as Error).message}` };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, message: `${fileName} does not hold a workflow: expected a ${GRAPH_FORMAT} graph or { slug, name, graph }.` };
  }
  const wrapped = 'graph' in parsed ? (parsed as { slug?: unknown; name?: unknown; graph: unknown; scenarios?: unknown; evals?: unknown }) : undefined;
  const fromFile = slugify(fileName.replace(/\.json$/i, ''));
  const slug = typeof wrapped?.slug === 'string' && wrapped.slug ? wrapped.slug : fromFile;
  const name = typeof wrapped?.name === 'string' && wrapped.name.trim() ? wrapped.name.trim() : nameFromSlug(slug);
  const extras = { ...(wrapped?.scenarios !== undefined ? { scenarios: wrapped.scenarios } : {}), ...(wrapped?.evals !== undefined ? { evals: wrapped.evals } : {}) };
  return { ok: true, candidate: { slug, name, graph: wrapped ? wrapped.graph : parsed, ...extras, fileName } };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** "5 nodes, 4 edges, 2 scenarios, 1 eval set": what the import dialog says the file holds. */
export function importSummary(candidate: Pick<ImportCandidate, 'graph' | 'scenarios' | 'evals'>): string {
  const { nodes, edges } = (candidate.graph ?? {}) as { nodes?: unknown; edges?: unknown };
  if (!Array.isArray(nodes)) return 'no nodes found';
  const parts = [plural(nodes.length, 'node'), plural(Array.isArray(edges) ? edges.length : 0, 'edge')];
  if (Array.isArray(candidate.scenarios)) parts.push(plural(candidate.scenarios.length, 'scenario'));
  if (Array.isArray(candidate.evals)) parts.push(plural(candidate.evals.length, 'eval set'));
  return parts.join(', ');
}

/** Offers `value` as a pretty-printed JSON download named `fileName`. */
export function downloadJson(fileName: string, value: unknown): void {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** A row of workflows.list. */
export type WorkflowSummary = inferRouterOutputs<AppRouter>['workflows']['list'][number];

/** A free slug near `base`: base-copy, base-copy-2, … */
export function freeSlug(base: string, taken: ReadonlySet<string>): string {
  const stem = `${base.slice(0, SLUG_MAX - 7)}-copy`;
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}
