// Reads a user's JSON Schema before ajv compiles it: enforces the size bounds, checks every regular
// expression on the linear-time engine, resolves local `$ref`s, and builds the graph of which
// subschema applies to which part of a value (the recursion checks in json-schema-recursion.ts).
import { regexProblem, compileLinearRegex } from './linear-regex.js';

export const SCHEMA_LIMITS = {
  /** Subschemas (each property, item, branch, definition…) in one schema. */
  maxSubschemas: 2_000,
  /** Schemas nested inside one another. */
  maxDepth: 32,
};

/** How an applicator moves from a schema to the part of the value its subschema checks. */
export type Step =
  | { kind: 'same' } // allOf, anyOf, oneOf, not, if/then/else, dependentSchemas, $ref: the same value
  | { kind: 'prop'; name: string } // properties.<name>
  | { kind: 'pattern'; pattern: string; owner: number } // patternProperties
  | { kind: 'additional'; owner: number } // additionalProperties
  | { kind: 'anyProp' } // unevaluatedProperties
  | { kind: 'tuple'; index: number; owner: number } // items[i] (draft-07), prefixItems[i]
  | { kind: 'rest'; owner: number } // additionalItems, or items after prefixItems
  | { kind: 'item' } // items (one schema), contains, unevaluatedItems
  | { kind: 'key' }; // propertyNames

export interface SchemaGraph {
  /** JSON pointer of each subschema ("#/properties/a"); index 0 is the root. */
  pointers: string[];
  schemas: unknown[];
  edges: { from: number; to: number; step: Step }[];
}

type Descend = (schema: Record<string, unknown>, owner: number, key: string, index: number) => Step;

const SAME_ONE = ['not', 'if', 'then', 'else'];
const SAME_MANY = ['allOf', 'anyOf', 'oneOf'];
const SAME_MAP = ['dependentSchemas', 'dependencies'];
const CONTAINERS = ['definitions', '$defs'];
const DESCEND_ONE: Record<string, Descend> = {
  additionalProperties: (_s, owner) => ({ kind: 'additional', owner }),
  unevaluatedProperties: () => ({ kind: 'anyProp' }),
  propertyNames: () => ({ kind: 'key' }),
  contains: () => ({ kind: 'item' }),
  unevaluatedItems: () => ({ kind: 'item' }),
  additionalItems: (_s, owner) => ({ kind: 'rest', owner }),
  items: (schema, owner) => (Array.isArray(schema.prefixItems) ? { kind: 'rest', owner } : { kind: 'item' }),
};
const DESCEND_MANY: Record<string, Descend> = {
  items: (_s, owner, _k, index) => ({ kind: 'tuple', index, owner }),
  prefixItems: (_s, owner, _k, index) => ({ kind: 'tuple', index, owner }),
};
const DESCEND_MAP: Record<string, Descend> = {
  properties: (_s, _owner, name) => ({ kind: 'prop', name }),
  patternProperties: (_s, owner, pattern) => ({ kind: 'pattern', pattern, owner }),
};

function escape(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function isSchema(value: unknown): boolean {
  return typeof value === 'boolean' || (!!value && typeof value === 'object' && !Array.isArray(value));
}

/** The subschemas of one schema object, each with the step that reaches its part of the value. */
function children(schema: Record<string, unknown>, owner: number): { path: string[]; child: unknown; step?: Step }[] {
  const found: { path: string[]; child: unknown; step?: Step }[] = [];
  const own = (key: string) => (Object.hasOwn(schema, key) ? schema[key] : undefined);
  for (const key of SAME_ONE) if (isSchema(own(key))) found.push({ path: [key], child: own(key), step: { kind: 'same' } });
  for (const key of SAME_MANY) {
    const list = own(key);
    if (Array.isArray(list)) list.forEach((child, index) => found.push({ path: [key, String(index)], child, step: { kind: 'same' } }));
  }
  for (const key of [...SAME_MAP, ...CONTAINERS, ...Object.keys(DESCEND_MAP)]) {
    const map = own(key);
    if (!map || typeof map !== 'object' || Array.isArray(map)) continue;
    for (const [name, child] of Object.entries(map)) {
      if (!isSchema(child)) continue; // e.g. dependencies: { a: ["b"] } lists property names
      const step = CONTAINERS.includes(key) ? undefined : key in DESCEND_MAP ? DESCEND_MAP[key](schema, owner, name, 0) : ({ kind: 'same' } as Step);
      found.push({ path: [key, name], child, step });
    }
  }
  for (const [key, step] of Object.entries(DESCEND_ONE)) if (isSchema(own(key))) found.push({ path: [key], child: own(key), step: step(schema, owner, key, 0) });
  for (const [key, step] of Object.entries(DESCEND_MANY)) {
    const list = own(key);
    if (Array.isArray(list)) list.forEach((child, index) => found.push({ path: [key, String(index)], child, step: step(schema, owner, key, index) }));
  }
  return found;
}

/** The segments of a local `$ref` ("#/a/b~1c" → ["a", "b/c"]), or why it is refused. */
function refSegments(ref: string): string[] | string {
  if (!ref.startsWith('#')) return 'points outside this schema (another document or URL), which cannot be resolved offline; copy what it refers to into $defs and use "#/$defs/…"';
  if (ref === '#') return [];
  if (!ref.startsWith('#/')) return 'uses a named anchor; only JSON-pointer references such as "#/$defs/name" are supported';
  try {
    return ref.slice(2).split('/').map((part) => decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~'));
  } catch {
    return 'is not a valid JSON pointer';
  }
}

export interface WalkResult {
  graph: SchemaGraph;
  problems: string[];
}

/** Walks every subschema (and what each local $ref reaches), stopping at the first bound it passes. */
export function walkSchema(root: object): WalkResult {
  const graph: SchemaGraph = { pointers: [], schemas: [], edges: [] };
  const problems: string[] = [];
  const index = new Map<string, number>();
  const refs: { from: number; ref: string }[] = [];
  let overLimit = false;

  const visit = (start: unknown, startPath: string[], startDepth: number): number => {
    const pending: { schema: unknown; path: string[]; depth: number; parent?: number; step?: Step }[] = [{ schema: start, path: startPath, depth: startDepth }];
    const first = graph.schemas.length;
    while (pending.length > 0 && !overLimit) {
      const { schema, path, depth, parent, step } = pending.pop()!;
      const pointer = `#${path.map((part) => `/${escape(part)}`).join('')}`;
      let id = index.get(pointer);
      if (id === undefined) {
        id = graph.schemas.length;
        if (id >= SCHEMA_LIMITS.maxSubschemas) {
          problems.push(`the schema has more than ${SCHEMA_LIMITS.maxSubschemas.toLocaleString('en')} subschemas (properties, items, branches, definitions), over the limit`);
          overLimit = true;
          break;
        }
        if (depth > SCHEMA_LIMITS.maxDepth) {
          problems.push(`the schema nests deeper than ${SCHEMA_LIMITS.maxDepth} levels (at ${pointer}), over the limit`);
          overLimit = true;
          break;
        }
        index.set(pointer, id);
        graph.pointers.push(pointer);
        graph.schemas.push(schema);
        if (schema && typeof schema === 'object') inspect(schema as Record<string, unknown>, id, pointer, path, depth);
      }
      if (parent !== undefined && step) graph.edges.push({ from: parent, to: id, step });
    }
    return first;

    function inspect(schema: Record<string, unknown>, id: number, pointer: string, path: string[], depth: number): void {
      if (id > 0 && Object.hasOwn(schema, '$id')) {
        problems.push(`$id at ${pointer}: an $id inside a schema is not supported; use $defs and local references ("#/$defs/…")`);
      }
      if (typeof schema.$ref === 'string') refs.push({ from: id, ref: schema.$ref });
      if (typeof schema.pattern === 'string') {
        const problem = regexProblem(schema.pattern, 'u');
        if (problem) problems.push(`pattern at ${pointer}: ${problem}`);
      }
      const patterns = schema.patternProperties;
      if (patterns && typeof patterns === 'object') {
        for (const key of Object.keys(patterns)) {
          const problem = regexProblem(key, 'u');
          if (problem) problems.push(`patternProperties at ${pointer}: ${problem}`);
        }
      }
      for (const { path: rest, child, step } of children(schema, id).reverse()) {
        pending.push({ schema: child, path: [...path, ...rest], depth: depth + 1, parent: step ? id : undefined, step });
      }
    }
  };

  visit(root, [], 0);
  // A $ref may point anywhere in the document; what it reaches is walked like any other subschema.
  for (let next = 0; next < refs.length && !overLimit; next++) {
    const { from, ref } = refs[next];
    const segments = refSegments(ref);
    if (typeof segments === 'string') {
      problems.push(`$ref "${ref}" at ${graph.pointers[from]} ${segments}`);
      continue;
    }
    let target: unknown = root;
    for (const segment of segments) {
      target = target && typeof target === 'object' && Object.hasOwn(target, segment) ? (target as Record<string, unknown>)[segment] : undefined;
    }
    if (!isSchema(target)) {
      problems.push(`$ref "${ref}" at ${graph.pointers[from]} does not point to a subschema of this schema`);
      continue;
    }
    const pointer = `#${segments.map((part) => `/${escape(part)}`).join('')}`;
    const to = index.get(pointer) ?? visit(target, segments, Math.ceil(segments.length / 2));
    if (!overLimit) graph.edges.push({ from, to, step: { kind: 'same' } });
  }
  return { graph, problems };
}

/** Whether a patternProperties pattern applies to a property name (patterns were checked already). */
export function patternMatches(pattern: string, name: string): boolean {
  try {
    return compileLinearRegex(pattern, 'u').test(name);
  } catch {
    return true;
  }
}
