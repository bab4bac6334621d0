// JSONata expressions and templates inside config values (DESIGN §2). A string that is exactly one
// `{{ expr }}` yields the expression's value with its type; text around `{{ }}` makes a template that
// yields a string; text without `{{ }}` is literal, in every field (fields that must be computed, like
// `branch.condition`, are refused bare by the validator; v1 graphs are upgraded: graph/upgrade.ts).
import jsonata from 'jsonata';
import { LinearRegExp } from './linear-regex.js';

export interface EvaluationRoot {
  input: unknown;
  nodes: Record<string, unknown>;
  instance: { id: string; workflow: string; version: number; startedAt: string };
  /** `callbacks.<eventNodeId>.url`: a signed URL that delivers that event node's next wait (server/callbacks/). */
  callbacks?: Record<string, { url: string }>;
}

const WHOLE = /^\s*\{\{([\s\S]*?)\}\}\s*$/;
export const PART = /\{\{([\s\S]*?)\}\}/g;

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly expression: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/**
 * What one evaluation may spend (DESIGN §3, containment). JSONata checks time and depth at every
 * step of its evaluator, so an endless expression fails within its budget instead of holding the
 * event loop; sequences and strings are capped so a runaway expression cannot fill the heap.
 */
export interface ExpressionBudget {
  /** Wall time of one evaluation (CAIRN_EXPRESSION_TIMEOUT_MS). */
  timeoutMs: number;
  /** Nesting of the evaluator: endless recursion fails here long before the JS stack would. */
  maxDepth: number;
  /** Items in one sequence (JSONata's own limit is 10 million). */
  maxSequence: number;
  /** Characters in one intermediate string. */
  maxStringLength: number;
}

export const DEFAULT_EXPRESSION_BUDGET: ExpressionBudget = { timeoutMs: 1_000, maxDepth: 500, maxSequence: 1_000_000, maxStringLength: 5_000_000 };

// Process-wide because JSONata compiles its guardrails into each expression and compiled
// expressions are shared; the composition root sets it once from CAIRN_EXPRESSION_TIMEOUT_MS.
let processBudget = DEFAULT_EXPRESSION_BUDGET;

export function setExpressionBudget(budget: Partial<ExpressionBudget>): void {
  processBudget = { ...processBudget, ...budget };
}

export function expressionBudget(): ExpressionBudget {
  return processBudget;
}

const EXIT_HOOK = Symbol.for('jsonata.__evaluate_exit');

// Compiled expressions are immutable and safe to share; graphs reuse the same few strings.
// Keyed by budget object, then source: budgets are few and long-lived, and no key string is built
// per evaluation on the engine's hot path.
const compiledByBudget = new WeakMap<ExpressionBudget, Map<string, jsonata.Expression>>();
export const CACHE_LIMIT = 5_000;

/** A compiled JSONata expression from the shared cache; throws ExpressionError when it does not compile. */
export function compileExpression(source: string, budget: ExpressionBudget = processBudget): jsonata.Expression {
  let compiled = compiledByBudget.get(budget);
  if (!compiled) compiledByBudget.set(budget, (compiled = new Map()));
  let expression = compiled.get(source);
  if (!expression) {
    try {
      // `/…/` literals run on RE2 (linear time): a user's pattern cannot stall the event loop.
      const options = { timeout: budget.timeoutMs, stack: budget.maxDepth, sequence: budget.maxSequence, RegexEngine: LinearRegExp };
      expression = jsonata(source, options as unknown as jsonata.JsonataOptions);
    } catch (error) {
      throw new ExpressionError(`cannot compile "${source.trim()}": ${describe(error)}`, source);
    }
    const { maxStringLength } = budget;
    expression.assign(EXIT_HOOK as unknown as string, (_node: unknown, _input: unknown, _env: unknown, result: unknown) => {
      if (typeof result === 'string' && result.length > maxStringLength) {
        throw new Error(`built a string of ${result.length.toLocaleString('en')} characters, over the limit of ${maxStringLength.toLocaleString('en')}`);
      }
    });
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(source, expression);
  }
  return expression;
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) return String((error as Error).message);
  return String(error);
}

/** JSONata's guardrail errors in words that name the budget and what to do. */
function describeFailure(error: unknown, budget: ExpressionBudget): string {
  const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'D1012':
      return `ran over its time budget of ${budget.timeoutMs.toLocaleString('en')} ms (CAIRN_EXPRESSION_TIMEOUT_MS); is it an endless loop?`;
    case 'D1011':
      return `nested deeper than ${budget.maxDepth.toLocaleString('en')} levels; is it an endless recursion?`;
    case 'D2014':
    case 'D2015':
      return `built a sequence of more than ${budget.maxSequence.toLocaleString('en')} items`;
  }
  return describe(error);
}

/** Run one evaluation of a compiled expression within the budget; failures become ExpressionErrors. */
export async function evaluateExpression(source: string, input: unknown, options: { bindings?: Record<string, unknown>; budget?: ExpressionBudget } = {}): Promise<unknown> {
  const budget = options.budget ?? processBudget;
  const expression = compileExpression(source, budget);
  let value: unknown;
  try {
    value = await expression.evaluate(input, options.bindings);
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    throw new ExpressionError(`"${clip(source)}" ${describeFailure(error, budget)}`, source);
  }
  return toStorable(value, source);
}

function clip(source: string): string {
  const text = source.trim();
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * A detached JSON copy of an expression's value: results are checkpointed and seen by later
 * expressions, so they must not share objects with the evaluation root (`{{ nodes }}` would make
 * the state contain itself) and must be representable as JSON.
 */
export function toStorable(value: unknown, source: string): unknown {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const seen = new Set<object>();
  const copy = (item: unknown, depth: number): unknown => {
    if (item === null || typeof item === 'string' || typeof item === 'boolean') return item;
    if (typeof item === 'number') return Number.isFinite(item) ? item : null;
    if (item === undefined) return undefined;
    if (typeof item === 'function' || (typeof item === 'object' && ('_jsonata_lambda' in item || '_jsonata_function' in item))) {
      throw new ExpressionError(`"${clip(source)}" gave a function, which cannot be stored as a value`, source);
    }
    if (typeof item !== 'object') throw new ExpressionError(`"${clip(source)}" gave a ${typeof item}, which cannot be stored as JSON`, source);
    if (seen.has(item)) throw new ExpressionError(`"${clip(source)}" gave a value that contains itself, which cannot be stored as JSON`, source);
    if (depth > 200) throw new ExpressionError(`"${clip(source)}" gave a value nested deeper than 200 levels`, source);
    seen.add(item);
    let result: unknown;
    if (item instanceof Date) result = item.toISOString();
    else if (Array.isArray(item)) result = item.map((entry) => copy(entry, depth + 1) ?? null);
    else {
      const object: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(item)) {
        const stored = copy(entry, depth + 1);
        if (stored !== undefined) object[key] = stored;
      }
      result = object;
    }
    seen.delete(item);
    return result;
  };
  return copy(value, 0);
}

export function hasTemplateMarks(text: string): boolean {
  return text.includes('{{');
}

/** Every JSONata source in a string: the inside of each `{{ }}` (none in literal text). */
export function expressionSources(text: string): string[] {
  if (!hasTemplateMarks(text)) return [];
  return [...text.matchAll(PART)].map((match) => match[1]);
}

/** The source of a string that is exactly one `{{ expr }}` (its value keeps its type), else undefined. */
export function wholeExpression(text: string): string | undefined {
  const whole = WHOLE.exec(text);
  return whole && !whole[1].includes('{{') ? whole[1] : undefined;
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
export function checkExpressions(text: string): string[] {
  const problems: string[] = [];
  if (hasTemplateMarks(text) && !bracesPair(text)) problems.push(`unbalanced "{{" and "}}" in "${text}"`);
  for (const source of expressionSources(text)) {
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
  /** The time `$now()` and `$millis()` answer, so durable logic never reads the wall clock. */
  now?: number;
}

function timeBindings(now: number | undefined): Record<string, unknown> | undefined {
  return now === undefined ? undefined : { now: () => new Date(now).toISOString(), millis: () => now };
}

function evaluate(source: string, root: EvaluationRoot, now?: number): Promise<unknown> {
  return evaluateExpression(source, root, { bindings: timeBindings(now) });
}

/** A value as template text: JSON for objects and arrays, nothing for null and undefined. */
export function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Resolve one string: a whole `{{ }}` value, a template, or literal text (returned as it is). */
export async function resolveString(text: string, root: EvaluationRoot, options: ResolveOptions = {}): Promise<unknown> {
  if (!hasTemplateMarks(text)) return text;
  const whole = wholeExpression(text);
  if (whole !== undefined) return evaluate(whole, root, options.now);
  let rendered = '';
  let last = 0;
  for (const match of text.matchAll(PART)) {
    rendered += text.slice(last, match.index) + stringify(await evaluate(match[1], root, options.now));
    last = match.index! + match[0].length;
  }
  return rendered + text.slice(last);
}

/** Resolve every string inside a JSON value (objects and arrays walked deeply). */
export async function resolveDeep(value: unknown, root: EvaluationRoot, options: ResolveOptions = {}): Promise<unknown> {
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

// Config values are the graph's own objects, immutable once published: asked again for each run.
const staticObjects = new WeakMap<object, boolean>();

/** True when a JSON value holds no `{{ }}` at all, so resolving it can be skipped. */
export function isStatic(value: unknown): boolean {
  if (typeof value === 'string') return !hasTemplateMarks(value);
  if (value === null || typeof value !== 'object') return true;
  let known = staticObjects.get(value);
  if (known === undefined) staticObjects.set(value, (known = stringsIn(value).every((text) => !hasTemplateMarks(text))));
  return known;
}
