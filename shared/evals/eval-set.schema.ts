// Eval sets (issue 20): per `ai` node, cases — the variables (and, for prompts that read them, the
// run's input and earlier node outputs) with what the answer must satisfy: exact fields, a JSONata
// assertion, a JSON Schema. Stored with a workflow's draft, frozen into each version, run by the
// editor's "Run evals", `cairn eval` and, with a threshold, before publishing.
import { z } from 'zod';
import { nodeIdSchema } from '../graph/graph.schema.js';

export const EVALS_FORMAT = 'cairn.evals/v1';
export const MAX_EVAL_CASES = 100;
export const MAX_EVAL_SETS = 50;

/** What one case's answer must satisfy; each given check counts toward the case's score. */
export const evalExpectSchema = z
  .strictObject({
    /** Exact values by field path ("label", "address.city"): each must equal the answer's. */
    fields: z.record(z.string().min(1).max(500), z.unknown()).optional(),
    /** JSONata over { answer, vars, input } that must give true. */
    assert: z.string().min(1, 'an assertion is a JSONata expression').max(10_000).optional(),
    /** A JSON Schema the answer must match (beyond the node's output schema). */
    schema: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((expect) => expect.fields !== undefined || expect.assert !== undefined || expect.schema !== undefined, 'expect needs at least one of fields, assert or schema');

export const evalCaseSchema = z.strictObject({
  name: z.string().trim().min(1, 'a case needs a name').max(200),
  /** The node's variables, as `{{ vars.<name> }}` reads them (checked against its inputSchema). */
  vars: z.record(z.string(), z.unknown()).default({}),
  /** The run's input and earlier node outputs, for prompts that read `input.…` or `nodes.…`. */
  input: z.unknown().optional(),
  nodes: z.record(z.string(), z.unknown()).optional(),
  expect: evalExpectSchema,
});

export const evalSetSchema = z.strictObject({
  /** The `ai` node's id. */
  node: nodeIdSchema,
  /** The score (0 to 1) below which publishing is refused; none: the set informs only. */
  threshold: z.number().min(0, 'threshold is a score from 0 to 1').max(1, 'threshold is a score from 0 to 1').optional(),
  cases: z.array(evalCaseSchema).min(1, 'an eval set needs at least one case').max(MAX_EVAL_CASES, `at most ${MAX_EVAL_CASES} cases per set`),
});

/** A file of eval sets, as `cairn eval` reads and export writes them. */
export const evalsFileSchema = z.strictObject({
  format: z.literal(EVALS_FORMAT),
  sets: z.array(evalSetSchema).max(MAX_EVAL_SETS, `at most ${MAX_EVAL_SETS} eval sets`),
});

export type EvalExpect = z.infer<typeof evalExpectSchema>;
export type EvalCase = z.infer<typeof evalCaseSchema>;
export type EvalSet = z.infer<typeof evalSetSchema>;
