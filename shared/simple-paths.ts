// The engine's fast path for expressions that are only field paths (`{{ nodes.fetch.body.id }}`):
// read directly, with JSONata's answer, and without its asynchronous evaluator (issue 21).
import { CACHE_LIMIT, hasTemplateMarks, PART, stringify, toStorable, wholeExpression, type EvaluationRoot } from './expressions.js';

/** What readSimplePath and resolveSimple return when JSONata must evaluate instead. */
export const NEEDS_JSONATA: unique symbol = Symbol('needs JSONata');

const FIELD_PATH = /^\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*$/;
// Words JSONata reads as operators or literals, not as field names.
const JSONATA_WORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);
const fieldPaths = new Map<string, readonly string[] | null>();

// Longer text is no simple path anyone writes; not remembering it keeps the cache small whatever comes.
const MAX_PATH_LENGTH = 256;

function fieldPathOf(source: string): readonly string[] | null {
  if (source.length > MAX_PATH_LENGTH) return null;
  let path = fieldPaths.get(source);
  if (path === undefined) {
    const match = FIELD_PATH.exec(source);
    const names = match ? match[1].split('.') : null;
    path = names && !names.some((name) => JSONATA_WORDS.has(name)) ? names : null;
    if (fieldPaths.size >= CACHE_LIMIT) fieldPaths.clear();
    fieldPaths.set(source, path);
  }
  return path;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
};

/**
 * `nodes.fetch.body.id` — field names through plain objects — read directly. For such a path
 * JSONata's answer is the same lookup, but its asynchronous evaluator costs a step tens of µs and
 * most inputs are exactly this. Anything else (arrays on the way or at the end, a missing object,
 * operators, functions) returns NEEDS_JSONATA, and JSONata evaluates it as before.
 */
export function readSimplePath(source: string, root: EvaluationRoot): unknown {
  const path = fieldPathOf(source);
  if (!path) return NEEDS_JSONATA;
  let value: unknown = root;
  for (const name of path) {
    if (!isPlainObject(value)) return NEEDS_JSONATA;
    value = Object.hasOwn(value, name) ? value[name] : undefined;
  }
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return toStorable(value, source);
  return isPlainObject(value) ? toStorable(value, source) : NEEDS_JSONATA;
}

/**
 * Resolve a config value without JSONata when every `{{ }}` in it is a simple field path (the
 * engine's hot path: no promise, no evaluator); NEEDS_JSONATA when one is not.
 */
export function resolveSimple(value: unknown, root: EvaluationRoot): unknown {
  if (typeof value === 'string') {
    if (!hasTemplateMarks(value)) return value;
    const whole = wholeExpression(value);
    if (whole !== undefined) return readSimplePath(whole, root);
    let rendered = '';
    let last = 0;
    for (const match of value.matchAll(PART)) {
      const part = readSimplePath(match[1], root);
      if (part === NEEDS_JSONATA) return NEEDS_JSONATA;
      rendered += value.slice(last, match.index) + stringify(part);
      last = match.index! + match[0].length;
    }
    return rendered + value.slice(last);
  }
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const resolved = resolveSimple(item, root);
      if (resolved === NEEDS_JSONATA) return NEEDS_JSONATA;
      items.push(resolved);
    }
    return items;
  }
  if (value && typeof value === 'object') {
    const object: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = resolveSimple(item, root);
      if (resolved === NEEDS_JSONATA) return NEEDS_JSONATA;
      object[key] = resolved;
    }
    return object;
  }
  return value;
}
