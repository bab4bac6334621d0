// The example workflows the product seeds on first start: one JSON file per example in ./examples,
// each `{ slug, name, description, graph }`, read and parsed through the graph schema at import, with
// the scenarios that cover its paths (examples/<slug>.scenarios.json at the project's root, which
// `cairn test examples/` runs too), seeded with it so the editor's Tests panel has them.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { graphSchema, type Graph } from '../../shared/graph/graph.schema.js';
import { parseScenariosText } from '../../shared/scenarios/parse-scenarios.js';

export interface ExampleWorkflow {
  slug: string;
  name: string;
  description: string;
  graph: Graph;
  /** Its scenarios as a workflow stores them (the suite's `workflow` names the example's file). */
  scenarios: Record<string, unknown>[];
}

/** In the order they are listed on first start; each is `examples/<slug>.json`. */
export const EXAMPLE_SLUGS = ['expense-approval', 'payment-retry', 'subscription-lifecycle', 'order-fulfilment', 'ticket-triage'] as const;

const exampleFileSchema = z.object({
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a slug is lower-case words joined by "-"'),
  name: z.string().min(1),
  description: z.string().min(1),
  graph: graphSchema,
});

/** Reads and parses one example; a malformed file throws naming the file, at start-up rather than at seed time. */
export function loadExample(slug: string): ExampleWorkflow {
  const url = new URL(`./examples/${slug}.json`, import.meta.url);
  let parsed: z.infer<typeof exampleFileSchema>;
  try {
    parsed = exampleFileSchema.parse(JSON.parse(readFileSync(url, 'utf8')));
  } catch (error) {
    throw new Error(`example workflow ${url.pathname} is invalid: ${(error as Error).message}`, { cause: error });
  }
  if (parsed.slug !== slug) throw new Error(`example workflow ${url.pathname} has the slug "${parsed.slug}"; its file name says "${slug}"`);
  return { ...parsed, scenarios: loadScenarios(slug) };
}

/** An example's scenarios, checked as `cairn test` reads them; an example without a file has none. */
function loadScenarios(slug: string): Record<string, unknown>[] {
  const url = new URL(`../../examples/${slug}.scenarios.json`, import.meta.url);
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const read = parseScenariosText(text, url.pathname);
  if (!read.ok) throw new Error(`the scenarios of example workflow ${slug} are invalid: ${read.problems.join('; ')}`);
  // Stored with the workflow, a scenario runs on its draft or version: the file's reference stays behind.
  const { scenarios } = JSON.parse(text) as { scenarios: Record<string, unknown>[] };
  return scenarios.map(({ workflow: _workflow, format: _format, ...scenario }) => scenario);
}

export const examples: ExampleWorkflow[] = EXAMPLE_SLUGS.map(loadExample);
