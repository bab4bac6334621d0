// Reading eval sets as a client or a file sends them, and checking them against the graph they
// belong to: every problem named with its set and case (a bad JSONata assertion, a schema that does
// not compile, a node that is gone or is not an `ai` node), never just the first.
import type { z } from 'zod';
import { ExpressionError, compileExpression } from '../expressions.js';
import type { Graph } from '../graph/graph.schema.js';
import { compileJsonSchema } from '../json-schema.js';
import { evalSetSchema, type EvalSet } from './eval-set.schema.js';

export type ReadEvalSets = { ok: true; sets: EvalSet[] } | { ok: false; problems: string[] };

function issueText(where: string, issue: z.core.$ZodIssue): string {
  const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
  return `${where}${path}: ${issue.message}`;
}

/** Each set read through the format; problems name the set (by node, or by position) and field. */
export function readEvalSets(value: unknown, where = 'evals'): ReadEvalSets {
  if (!Array.isArray(value)) return { ok: false, problems: [`${where} must be a list of eval sets`] };
  const sets: EvalSet[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  value.forEach((item, index) => {
    const node = item && typeof item === 'object' && typeof (item as { node?: unknown }).node === 'string' ? (item as { node: string }).node.slice(0, 100) : undefined;
    const label = node ? `eval set "${node}"` : `${where}[${index}]`;
    const parsed = evalSetSchema.safeParse(item);
    if (!parsed.success) return void problems.push(...parsed.error.issues.slice(0, 20).map((issue) => issueText(label, issue)));
    if (seen.has(parsed.data.node)) return void problems.push(`${label}: a second set for node "${parsed.data.node}"; a node has one set`);
    seen.add(parsed.data.node);
    problems.push(...expectationProblems(parsed.data, label));
    sets.push(parsed.data);
  });
  return problems.length ? { ok: false, problems } : { ok: true, sets };
}

/** Assertions that do not compile and schemas that do not compile, by case. */
export function expectationProblems(set: EvalSet, label = `eval set "${set.node}"`): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const [index, evalCase] of set.cases.entries()) {
    const where = `${label} case "${evalCase.name}"`;
    if (names.has(evalCase.name)) problems.push(`${label} case ${index + 1}: a second case named "${evalCase.name}"`);
    names.add(evalCase.name);
    const { assert, schema } = evalCase.expect;
    if (assert !== undefined) {
      try {
        compileExpression(assert);
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        problems.push(`${where}: the assertion is not valid JSONata: ${error.message}`);
      }
    }
    if (schema !== undefined) {
      const compiled = compileJsonSchema(schema);
      if (!compiled.ok) problems.push(`${where}: the schema does not compile: ${compiled.message}`);
    }
  }
  return problems;
}

/** Sets whose node the graph lacks or that is not an `ai` node: they cannot run on it. */
export function orphanProblems(sets: readonly EvalSet[], graph: Graph): string[] {
  const problems: string[] = [];
  for (const set of sets) {
    const node = graph.nodes.find((candidate) => candidate.id === set.node);
    if (!node) problems.push(`eval set "${set.node}": the graph has no node "${set.node}"`);
    else if (node.kind !== 'ai') problems.push(`eval set "${set.node}": node "${set.node}" is a ${node.kind} node, not an ai node`);
  }
  return problems;
}
