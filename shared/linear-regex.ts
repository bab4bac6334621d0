// User-authored regular expressions (JSON Schema `pattern`s, JSONata `/…/` literals) on a linear-time
// engine (RE2, via re2js), so no pattern can stall the event loop (DESIGN §3, containment). Patterns
// RE2 cannot run — backreferences, lookaround — are refused with a message that says why.
import { RE2JS } from 're2js';
import jsonata from 'jsonata';

/** Longest pattern accepted; RE2 bounds repetition counts itself (at most 1,000). */
export const MAX_PATTERN_LENGTH = 4_096;
/** RE2's "program size" (its instructions): matching costs at most input length × this. */
export const MAX_PROGRAM_SIZE = 5_000;

export class UnsupportedRegexError extends Error {
  readonly code = 'REGEX_UNSUPPORTED';
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedRegexError';
  }
}

const WHY = 'Cairn runs regular expressions on a linear-time engine (RE2), because';

/** Constructs RE2 leaves out on purpose; named here so the refusal says what to change. */
function backtrackingConstruct(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next)) return `a backreference (\\${next})`;
      if (next === 'k' && source[i + 2] === '<') return 'a named backreference (\\k<…>)';
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true; // in JavaScript the first `]` closes a class, even right after `[` or `[^`
    } else if (ch === '(' && source[i + 1] === '?') {
      const kind = source.slice(i + 2, i + 4);
      if (kind.startsWith('=')) return 'a lookahead (?=…)';
      if (kind.startsWith('!')) return 'a negative lookahead (?!…)';
      if (kind === '<=') return 'a lookbehind (?<=…)';
      if (kind === '<!') return 'a negative lookbehind (?<!…)';
    }
  }
  return undefined;
}

function flagBits(flags: string): number {
  let bits = 0;
  for (const flag of flags) {
    if (flag === 'i') bits |= RE2JS.CASE_INSENSITIVE;
    else if (flag === 'm') bits |= RE2JS.MULTILINE;
    else if (flag === 's') bits |= RE2JS.DOTALL;
    else if (flag !== 'g' && flag !== 'u' && flag !== 'd') {
      throw new UnsupportedRegexError(`the regular expression flag "${flag}" is not supported`);
    }
  }
  return bits;
}

const compiled = new Map<string, RE2JS>();
const CACHE_LIMIT = 1_000;

/**
 * The RE2 program for a JavaScript pattern, or an UnsupportedRegexError that names the problem.
 * Compiled programs are immutable and shared: JSONata builds a regex object at every evaluation.
 */
export function compileLinearRegex(source: string, flags = ''): RE2JS {
  const key = `${flags}/${source}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const shown = `/${source.length > 80 ? `${source.slice(0, 77)}...` : source}/`;
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new UnsupportedRegexError(`the regular expression ${shown} is ${source.length.toLocaleString('en')} characters long, over the limit of ${MAX_PATTERN_LENGTH.toLocaleString('en')}`);
  }
  const construct = backtrackingConstruct(source);
  if (construct) {
    throw new UnsupportedRegexError(
      `the regular expression ${shown} uses ${construct}, which is not supported: ${WHY} such patterns can take exponential time to match`,
    );
  }
  let program: RE2JS;
  try {
    program = RE2JS.compile(RE2JS.translateRegExp(source), flagBits(flags));
  } catch (error) {
    if (error instanceof UnsupportedRegexError) throw error;
    const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
    throw new UnsupportedRegexError(`the regular expression ${shown} is not supported (${reason}): ${WHY} backtracking patterns can take exponential time`);
  }
  if (program.programSize() > MAX_PROGRAM_SIZE) {
    throw new UnsupportedRegexError(`the regular expression ${shown} is too complex (${program.programSize().toLocaleString('en')} instructions, over the limit of ${MAX_PROGRAM_SIZE.toLocaleString('en')})`);
  }
  if (compiled.size >= CACHE_LIMIT) compiled.clear();
  compiled.set(key, program);
  return program;
}

/** Why a pattern is refused, or undefined when it runs on the linear-time engine. */
export function regexProblem(source: string, flags = ''): string | undefined {
  try {
    compileLinearRegex(source, flags);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * A RegExp look-alike on RE2: what JSONata's `RegexEngine` option and ajv's `code.regExp` option
 * need (`exec` with `index`, groups and `lastIndex` iteration; `test`). Differences from RegExp
 * that RE2 brings: `\s` and `.` know only ASCII line breaks and spaces, and `i` folds by Unicode.
 */
export class LinearRegExp {
  readonly source: string;
  readonly flags: string;
  readonly global: boolean;
  lastIndex = 0;
  private readonly program: RE2JS;

  constructor(pattern: RegExp | string, flags?: string) {
    this.source = typeof pattern === 'string' ? pattern : pattern.source;
    this.flags = flags ?? (typeof pattern === 'string' ? '' : pattern.flags);
    this.global = this.flags.includes('g');
    this.program = compileLinearRegex(this.source, this.flags);
  }

  exec(input: string): RegExpExecArray | null {
    const text = String(input);
    const from = this.global ? this.lastIndex : 0;
    if (from > text.length) {
      this.lastIndex = 0;
      return null;
    }
    const matcher = this.program.matcher(text);
    if (!matcher.find(from)) {
      if (this.global) this.lastIndex = 0;
      return null;
    }
    const groups: (string | undefined)[] = [];
    for (let group = 0; group <= matcher.groupCount(); group++) groups.push(matcher.group(group) ?? undefined);
    const names = this.program.namedGroups();
    const named = Object.keys(names).length > 0 ? Object.fromEntries(Object.entries(names).map(([name, index]) => [name, groups[index]])) : undefined;
    const result = Object.assign(groups as string[], { index: matcher.start(), input: text, groups: named }) as RegExpExecArray;
    if (this.global) this.lastIndex = matcher.end();
    return result;
  }

  test(input: string): boolean {
    if (this.global) return this.exec(input) !== null;
    return this.program.test(String(input));
  }

  toString(): string {
    return `/${this.source}/${this.flags}`;
  }
}

/** ajv's `code.regExp` engine: every schema `pattern` and `patternProperties` key runs on RE2. */
export const linearRegExpForAjv = Object.assign((pattern: string, flags: string) => new LinearRegExp(pattern, flags), {
  code: 'linearRegExpForAjv',
});

/**
 * Why each `/…/` literal in a JSONata expression is refused (publish-time check); empty when all
 * run on the linear-time engine or the expression does not parse (its syntax is reported elsewhere).
 */
export function regexProblems(source: string): string[] {
  let ast: unknown;
  try {
    ast = jsonata(source).ast();
  } catch {
    return [];
  }
  const problems: string[] = [];
  const seen = new Set<object>();
  const pending: unknown[] = [ast];
  // Iterative: regex nodes can sit anywhere (arguments, predicates, stages, lambda bodies).
  while (pending.length > 0) {
    const node = pending.pop();
    if (!node || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (node instanceof RegExp) {
      const problem = regexProblem(node.source, node.flags);
      if (problem && !problems.includes(problem)) problems.push(problem);
      continue;
    }
    for (const value of Object.values(node).reverse()) if (value && typeof value === 'object') pending.push(value);
  }
  return problems;
}
