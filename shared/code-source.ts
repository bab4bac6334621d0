// The code step's source (DESIGN §6, built-in action `code`): either a function `(input, ctx) => …`
// (async allowed) or the body of one (statements ending in `return`, `await` allowed). The editor, the
// publish check and the sandbox all read it through this file, so they agree on which form it is and
// on where a syntax error sits (1-based line and column of the author's text).
import { parse, type Node } from 'acorn';

export interface CodeSyntaxError {
  message: string;
  line: number;
  column: number;
  /** Offset in the source, for editors that mark ranges. */
  offset: number;
}

export type CompiledCode =
  | { ok: true; form: 'function' | 'body'; program: string; lineOffset: number }
  | { ok: false; error: CodeSyntaxError };

/** The code's source in this many characters at most (it travels inside the graph, which has a limit too). */
export const MAX_CODE_CHARS = 100_000;

interface AcornError extends SyntaxError {
  pos: number;
  loc: { line: number; column: number };
}

function isFunction(node: Node | undefined): boolean {
  return node?.type === 'ArrowFunctionExpression' || node?.type === 'FunctionExpression';
}

/**
 * The source as a program that evaluates to the function: a function stays as written; a body is
 * wrapped in `async (input, ctx) => { … }`. Either way the author's first line is the program's
 * second, so positions map back by `lineOffset`.
 */
export function compileCode(source: string): CompiledCode {
  if (source.length > MAX_CODE_CHARS) {
    return { ok: false, error: { message: `the code is ${source.length.toLocaleString('en')} characters long, over the ${MAX_CODE_CHARS.toLocaleString('en')} allowed`, line: 1, column: 1, offset: 0 } };
  }
  let program: ReturnType<typeof parse>;
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true });
  } catch (error) {
    const { loc, pos, message } = error as AcornError;
    if (!loc) throw error;
    // acorn ends its message with "(line:column)"; the position is given separately.
    return { ok: false, error: { message: message.replace(/\s*\(\d+:\d+\)$/, ''), line: loc.line, column: loc.column + 1, offset: pos } };
  }
  const [only] = program.body;
  const expression = program.body.length === 1 && only?.type === 'ExpressionStatement' ? (only as Node & { expression: Node }).expression : undefined;
  // `async function main(input, ctx) { … }` alone is a function too (it becomes a named expression).
  const fn = expression && isFunction(expression) ? expression : program.body.length === 1 && only?.type === 'FunctionDeclaration' ? only : undefined;
  if (fn) {
    // Up to the function's end: a trailing `;` or comment would not fit inside the parentheses.
    return { ok: true, form: 'function', program: `(\n${source.slice(0, fn.end)}\n)`, lineOffset: 1 };
  }
  return { ok: true, form: 'body', program: `(async (input, ctx) => {\n${source}\n})`, lineOffset: 1 };
}

/** "line 3, column 7": how a position in the author's code is named in messages. */
export function codePosition(line: number, column?: number): string {
  return column === undefined ? `line ${line}` : `line ${line}, column ${column}`;
}
