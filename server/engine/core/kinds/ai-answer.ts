// What a model answered, made into the node's output or a list of problems to send back: the answer
// is normalised first — the JSON inside a code fence, JSON with prose before or after it, and a
// single-key envelope ({"result": {…}}) around an object that matches — then checked against the
// output schema. Pure: the executor records what was applied.
import { schemaViolations } from '../../../../shared/json-schema.js';

export type Normalisation = 'fence' | 'prose' | 'envelope';

export type CheckedAnswer =
  | { ok: true; value: unknown; applied: Normalisation[] }
  | { ok: false; code: 'MALFORMED_JSON' | 'SCHEMA_VIOLATION'; message: string; errors: string[]; value?: unknown; applied: Normalisation[] };

/** The problems sent back on a repair turn and kept in history: enough to fix the answer, bounded. */
const MAX_ERRORS = 20;

/** Deeper than any structured answer a person would design a schema for. */
const MAX_DEPTH = 64;

const FENCE = /```[\w-]*[^\S\n]*\n([\s\S]*?)\n?[^\S\n]*```/;

export function checkAnswer(text: string, outputSchema: Record<string, unknown>): CheckedAnswer {
  const applied: Normalisation[] = [];
  let body = text.trim();
  const fenced = FENCE.exec(body);
  if (fenced) {
    body = fenced[1].trim();
    applied.push('fence');
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const embedded = firstJsonValue(body);
    if (embedded === undefined) {
      const message = `the answer is not JSON: ${(error as Error).message}`;
      return { ok: false, code: 'MALFORMED_JSON', message, errors: [message], applied };
    }
    value = embedded;
    applied.push('prose');
  }
  // Checkpoints and later expressions walk the value recursively: a hostile nesting stops here.
  if (depthOver(value, MAX_DEPTH)) {
    const message = `the answer is nested more than ${MAX_DEPTH} levels deep`;
    return { ok: false, code: 'MALFORMED_JSON', message, errors: [message], applied };
  }
  const violations = schemaViolations(outputSchema, value).map((violation) => violation.message);
  if (violations.length === 0) return { ok: true, value, applied };
  const inner = envelopeContent(value);
  if (inner !== undefined && schemaViolations(outputSchema, inner).length === 0) return { ok: true, value: inner, applied: [...applied, 'envelope'] };
  const errors = violations.slice(0, MAX_ERRORS);
  if (violations.length > MAX_ERRORS) errors.push(`… and ${violations.length - MAX_ERRORS} more`);
  return { ok: false, code: 'SCHEMA_VIOLATION', message: `the answer does not match the output schema: ${errors.join('; ')}`, errors, value, applied };
}

/** The value of a one-key object whose value is an object or array; undefined otherwise. */
function envelopeContent(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const inner = (value as Record<string, unknown>)[keys[0]];
  return inner !== null && typeof inner === 'object' ? inner : undefined;
}

/**
 * The first complete JSON object or array in text with prose around it ("Here you go: {…} Hope this
 * helps"). One pass that tracks strings and nesting, so braces inside strings do not count.
 */
function firstJsonValue(text: string): unknown {
  const start = text.search(/[{[]/);
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) {
        try {
          return JSON.parse(text.slice(start, i + 1));
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}

/** Whether a parsed JSON value nests deeper than `max`, walked without recursion. */
function depthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}
