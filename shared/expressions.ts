// JSONata expressions and templates inside config values (DESIGN §2). A string that is exactly one
// `{{ expr }}` yields the expression's value with its type; text around `{{ }}` makes a template that
// yields a string. Fields declared as expressions in the node registry may also hold bare JSONata.
import jsonata from 'jsonata';

export interface EvaluationRoot {
  input: unknown;
  nodes: Record<string, unknown>;
  instance: { id: string; workflow: string; version: number; startedAt: string };
}

const WHOLE = /^\s*\{\{([\s\S]*?)\}\}\s*$/;
const PART = /\{\{([\s\S]*?)\}\}/g;

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly expression: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

// Compiled expressions are immutable and safe to share; graphs reuse the same few strings.
const compiled = new Map<string, jsonata.Expression>();
const CACHE_LIMIT = 5_000;

/** A compiled JSONata expression from the shared cache; throws ExpressionError when it does not compile. */
export function compileExpression(source: string): jsonata.Expression {
  let expression = compiled.get(source);
  if (!expression) {
    try {
      expression = jsonata(source);
    } catch (error) {
      throw new ExpressionError(`cannot compile "${source.trim()}": ${describe(error)}`, source);
    }
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(source, expression);
  }
  return expression;
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) return String((error as Error).message);
  return String(error);
}

export function hasTemplateMarks(text: string): boolean {
  return text.includes('{{');
}

/** Every JSONata source in a string: the inside of each `{{ }}`, or the whole string when `bare`. */
export function expressionSources(text: string, options: { bare?: boolean } = {}): string[] {
  if (!hasTemplateMarks(text)) return options.bare && text.trim() ? [text] : [];
  return [...text.matchAll(PART)].map((match) => match[1]);
}

/** Every "{{" is closed by a "}}" before the next "{{", and no "}}" stands alone. */
function bracesPair(text: string): boolean {
  let open = false;
  for (const [mark] of text.matchAll(/\{\{|\}\}/g)) {
    if (mark === '{{') {
      if (open) return false;
      open = true;
    } else if (open) {
      open = false;
    } else {
      return false;
    }
  }
  return !open;
}

/** Syntax problems of every expression in a string; empty when all compile. */
export function checkExpressions(text: string, options: { bare?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (options.bare && !text.trim()) return ['the expression is empty'];
  if (hasTemplateMarks(text) && !bracesPair(text)) problems.push(`unbalanced "{{" and "}}" in "${text}"`);
  for (const source of expressionSources(text, options)) {
    if (!source.trim()) {
      problems.push('empty expression "{{ }}"');
      continue;
    }
    try {
      compileExpression(source);
    } catch (error) {
      problems.push(describe(error));
    }
  }
  return problems;
}

export interface ResolveOptions {
  /** The string is a bare expression (no `{{ }}` needed). */
  bare?: boolean;
  /** The time `$now()` and `$millis()` answer, so durable logic never reads the wall clock. */
  now?: number;
}

function timeBindings(now: number | undefined): Record<string, unknown> | undefined {
  return now === undefined ? undefined : { now: () => new Date(now).toISOString(), millis: () => now };
}

async function evaluate(source: string, root: EvaluationRoot, now?: number): Promise<unknown> {
  try {
    return await compileExpression(source).evaluate(root, timeBindings(now));
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    throw new ExpressionError(`"${source.trim()}" failed: ${describe(error)}`, source);
  }
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Resolve one string: an expression field (`bare`), a whole `{{ }}` value, a template or plain text. */
export async function resolveString(text: string, root: EvaluationRoot, options: ResolveOptions = {}): Promise<unknown> {
  if (!hasTemplateMarks(text)) return options.bare ? evaluate(text, root, options.now) : text;
  const whole = WHOLE.exec(text);
  if (whole && !whole[1].includes('{{')) return evaluate(whole[1], root, options.now);
  let rendered = '';
  let last = 0;
  for (const match of text.matchAll(PART)) {
    rendered += text.slice(last, match.index) + stringify(await evaluate(match[1], root, options.now));
    last = match.index! + match[0].length;
  }
  return rendered + text.slice(last);
}

/** Resolve every string inside a JSON value (objects and arrays walked deeply). */
export async function resolveDeep(value: unknown, root: EvaluationRoot, options: Pick<ResolveOptions, 'now'> = {}): Promise<unknown> {
  if (typeof value === 'string') return resolveString(value, root, options);
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveDeep(item, root, options)));
  if (value && typeof value === 'object') {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await resolveDeep(item, root, options)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/** Every string in a JSON value, for validation of deep expression fields. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** True when a JSON value holds no `{{ }}` at all, so resolving it can be skipped. */
export function isStatic(value: unknown): boolean {
  return stringsIn(value).every((text) => !hasTemplateMarks(text));
}
