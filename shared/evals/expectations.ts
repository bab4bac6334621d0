// An eval case's checks against the answer a model gave: exact fields, a JSONata assertion (within
// the expression budget), a JSON Schema. Each check passes or says why not; nothing throws.
import { ExpressionError, evaluateExpression } from '../expressions.js';
import { schemaViolations } from '../json-schema.js';
import type { EvalCase } from './eval-set.schema.js';
import type { EvalCheck } from './eval-report.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** Structural equality of JSON values; key order does not count. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!sameJson(a[key], b[key])) return false;
  return true;
}

/** The value at a dot path ("address.city", "items.0"); undefined when any step is missing. */
function at(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const shown = (value: unknown) => {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
};

export async function checkExpectations(evalCase: EvalCase, answer: unknown): Promise<EvalCheck[]> {
  const { fields, assert, schema } = evalCase.expect;
  const checks: EvalCheck[] = [];
  if (fields !== undefined) {
    const wrong = Object.entries(fields)
      .filter(([path, expected]) => !sameJson(at(answer, path), expected))
      .map(([path, expected]) => `${path} is ${shown(at(answer, path))}, expected ${shown(expected)}`);
    checks.push(wrong.length ? { check: 'fields', passed: false, message: wrong.join('; ') } : { check: 'fields', passed: true });
  }
  if (assert !== undefined) {
    try {
      const result = await evaluateExpression(assert, { answer, vars: evalCase.vars, input: evalCase.input ?? null });
      checks.push(result === true ? { check: 'assert', passed: true } : { check: 'assert', passed: false, message: `the assertion ${shown(assert)} gave ${shown(result)}, not true` });
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      checks.push({ check: 'assert', passed: false, message: `the assertion failed: ${error.message}` });
    }
  }
  if (schema !== undefined) {
    const violations = schemaViolations(schema, answer).map((violation) => violation.message);
    checks.push(violations.length ? { check: 'schema', passed: false, message: violations.slice(0, 5).join('; ') } : { check: 'schema', passed: true });
  }
  return checks;
}
