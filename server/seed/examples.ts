// The example workflows the product seeds on first start: one JSON file per example in ./examples,
// each `{ slug, name, description, graph }`, read and parsed through the graph schema at import.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { graphSchema, type Graph } from '../../shared/graph/graph.schema.js';

export interface ExampleWorkflow {
  slug: string;
  name: string;
  description: string;
  graph: Graph;
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
  return parsed;
}

export const examples: ExampleWorkflow[] = EXAMPLE_SLUGS.map(loadExample);
