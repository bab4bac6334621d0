// A step's input against its action's declared input (JSON Schema, from the action registry): what
// would fail every attempt at run time — a missing `url` for http.request, a number where text is
// expected — is refused at publish. Values are known only where they are literal: a whole `{{ … }}`
// can give anything and is left to the run; a template (text around `{{ }}`) always gives text, so
// only its type is checked.
import type { ErrorObject } from 'ajv';
import { compileJsonSchema } from './json-schema.js';
import { hasTemplateMarks, wholeExpression } from './expressions.js';
import { codeFieldProblems } from './validate-code.js';
import type { InputProblem } from './problems.js';

export type { InputProblem } from './problems.js';

type Placeholder = 'expression' | 'template';

/** The input with each expression replaced by a stand-in, and where those stand-ins are. */
function probe(value: unknown, pointer: string, holes: Map<string, Placeholder>): unknown {
  if (typeof value === 'string' && hasTemplateMarks(value)) {
    const kind: Placeholder = wholeExpression(value) !== undefined ? 'expression' : 'template';
    holes.set(pointer, kind);
    return kind === 'template' ? '' : null;
  }
  if (Array.isArray(value)) return value.map((item, index) => probe(item, `${pointer}/${index}`, holes));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, probe(item, `${pointer}/${escape(key)}`, holes)]));
  }
  return value;
}

const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
const dotted = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');

/** Keywords that a stand-in cannot have caused when they fail on a value that contains one. */
const STRUCTURAL = new Set(['required', 'additionalProperties', 'type']);

function describe(error: ErrorObject, pointer: string, holes: Map<string, Placeholder>): string | undefined {
  const field = dotted(pointer) || 'the input';
  if (error.keyword === 'required') return `${field} is required`;
  if (error.keyword === 'additionalProperties') return `${field} is not an input this action takes`;
  if (holes.get(pointer) === 'template') return `${field} is text with {{ }} (always text), but the action expects ${error.params.type ?? 'another type'}`;
  if (error.keyword === 'enum') return `${field} must be one of ${(error.params.allowedValues as unknown[]).map((item) => JSON.stringify(item)).join(', ')}`;
  return `${field} ${error.message ?? 'is invalid'}`;
}

/** Problems of `input` against `schema`; none when the schema does not compile (the action's own fault). */
export function actionInputProblems(schema: unknown, input: unknown): InputProblem[] {
  return [...schemaProblems(schema, input), ...codeFieldProblems(schema, input)];
}

function schemaProblems(schema: unknown, input: unknown): InputProblem[] {
  if (!schema || typeof schema !== 'object') return [];
  // describe() says which draft it wrote; our ajv speaks its own default and needs no $schema.
  const { $schema: _draft, ...rest } = schema as Record<string, unknown>;
  const compiled = compileJsonSchema(rest);
  if (!compiled.ok) return [];
  const holes = new Map<string, Placeholder>();
  const value = probe(input, '', holes);
  let valid: boolean;
  try {
    valid = compiled.validate(value) as boolean;
  } catch {
    return [];
  }
  if (valid) return [];
  const problems = new Map<string, InputProblem>();
  for (const error of compiled.validate.errors ?? []) {
    const child = error.keyword === 'required' ? error.params.missingProperty : error.keyword === 'additionalProperties' ? error.params.additionalProperty : undefined;
    const pointer = child === undefined ? error.instancePath : `${error.instancePath}/${escape(String(child))}`;
    if (!relevant(error, pointer, holes)) continue;
    const message = describe(error, pointer, holes);
    if (message && !problems.has(message)) problems.set(message, { path: dotted(pointer), message });
  }
  return [...problems.values()];
}

/** Whether an error is about the literal parts of the input, not about a stand-in for an expression. */
function relevant(error: ErrorObject, pointer: string, holes: Map<string, Placeholder>): boolean {
  for (const [hole, kind] of holes) {
    if (pointer === hole) return kind === 'template' && error.keyword === 'type';
    if (pointer.startsWith(`${hole}/`)) return false;
    // An error on a value that holds a stand-in may be the stand-in's doing, unless it is structural.
    if (hole.startsWith(`${pointer}/`) && !STRUCTURAL.has(error.keyword)) return false;
  }
  return true;
}
