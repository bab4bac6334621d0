// compileJsonSchema and schemaViolations against hostile schemas and values (issue 12 item 4): ReDoS
// patterns, oversized schemas, $ref loops, blow-ups, non-local references and values too deep to check.
import { describe, expect, it } from 'vitest';
import { MAX_SCHEMA_BYTES, SCHEMA_LIMITS, compileJsonSchema, schemaViolations } from './json-schema.js';

const HOSTILE = `${'a'.repeat(30)}!`; // 31 characters: minutes of backtracking for ^(a+)+$

function problems(schema: unknown): string[] {
  const result = compileJsonSchema(schema);
  return result.ok ? [] : result.problems;
}

function elapsed(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function properties(count: number, schema: unknown): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`field${index}`, schema]));
}

const tree = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } } };

describe('patterns run on the linear-time engine', () => {
  it('answers ^(a+)+$ against a 31-character value within milliseconds', () => {
    const schema = { type: 'string', pattern: '^(a+)+$' };
    expect(problems(schema)).toEqual([]);
    let violations: unknown[] = [];
    expect(elapsed(() => (violations = schemaViolations(schema, HOSTILE)))).toBeLessThan(50);
    expect(violations).toEqual([{ path: '', message: 'value must match pattern "^(a+)+$"' }]);
    expect(schemaViolations(schema, 'aaaa')).toEqual([]);
  });

  it('runs patternProperties on it too', () => {
    const schema = { type: 'object', patternProperties: { '^(a+)+$': { type: 'number' } } };
    let violations: unknown[] = [];
    expect(elapsed(() => (violations = schemaViolations(schema, { [HOSTILE]: 'x', aaa: 'y' })))).toBeLessThan(50);
    expect(violations).toEqual([{ path: '/aaa', message: 'aaa must be number' }]);
  });

  it('refuses patterns RE2 cannot run, naming where they are', () => {
    expect(problems({ type: 'object', properties: { code: { type: 'string', pattern: '^(\\w)\\1$' } } })).toEqual([
      expect.stringMatching(/^pattern at #\/properties\/code: .*backreference.*exponential time/),
    ]);
    expect(problems({ patternProperties: { '^x(?=y)': true } })).toEqual([expect.stringMatching(/^patternProperties at #: .*lookahead/)]);
  });

  it('keeps format checks fast on long hostile values (ajv-formats has fixed regexes)', () => {
    const long = 'a'.repeat(50_000);
    const values = [long, `${long}!`, `${'a.'.repeat(25_000)}!`, `${'1'.repeat(50_000)}x`, `http://${long}!`, `${'a@'.repeat(25_000)}`, `2020-01-01T${'1'.repeat(50_000)}`];
    for (const format of ['email', 'uri', 'uri-reference', 'hostname', 'date-time', 'iso-date-time', 'duration', 'ipv6', 'regex', 'uuid', 'url', 'uri-template', 'json-pointer']) {
      const schema = { type: 'string', format };
      expect(compileJsonSchema(schema).ok, format).toBe(true);
      for (const value of values) expect(elapsed(() => schemaViolations(schema, value)), `${format} on ${value.slice(0, 10)}…`).toBeLessThan(200);
    }
    expect(schemaViolations({ type: 'string', format: 'regex' }, '^(a+)+$')).toEqual([]);
  });
});

describe('size bounds', () => {
  it('refuses a schema with 20,000 properties quickly, naming the limit', () => {
    const schema = { type: 'object', properties: properties(20_000, { type: 'string' }) };
    compileJsonSchema({ type: 'string' });
    let result = compileJsonSchema(schema);
    expect(elapsed(() => (result = compileJsonSchema(schema)))).toBeLessThan(100);
    expect(result).toMatchObject({ ok: false, problems: [`the schema's JSON is over the limit of ${MAX_SCHEMA_BYTES / 1024} KB`] });
  });

  it('refuses too many subschemas within the size limit', () => {
    expect(problems({ type: 'object', properties: properties(2_500, true) })).toEqual([expect.stringMatching(/more than 2,000 subschemas/)]);
    expect(problems({ type: 'object', properties: properties(1_500, true) })).toEqual([]);
  });

  it('weighs a schema in UTF-8 bytes: 30,000 euro signs are 88 KB, lone surrogates (escaped) 176 KB, letters fit', () => {
    const described = (char: string) => ({ type: 'string', description: char.repeat(30_000) });
    expect(problems(described('a'))).toEqual([]);
    expect(problems(described('€'))).toEqual([expect.stringContaining('88 KB of JSON')]);
    expect(problems(described('😀'.slice(0, 1)))).toEqual([expect.stringContaining('176 KB of JSON')]);
  });

  it('refuses nesting past the depth limit', () => {
    let deep: unknown = { type: 'string' };
    for (let level = 0; level < SCHEMA_LIMITS.maxDepth + 5; level++) deep = { type: 'object', properties: { inner: deep } };
    expect(problems(deep)).toEqual([expect.stringMatching(/nests deeper than 32 levels/)]);
  });

  it('refuses what is not a JSON object', () => {
    const cyclic: Record<string, unknown> = { type: 'object' };
    cyclic.properties = { self: cyclic };
    expect(problems(cyclic)).toHaveLength(1);
    expect(problems(['type'])).toEqual(['a JSON Schema must be an object']);
    expect(problems({ type: 'strin' })).toEqual([expect.stringMatching(/^schema is invalid/)]);
  });
});

describe('recursion', () => {
  it('refuses {"$ref":"#"}: validation would never end', () => {
    expect(problems({ $ref: '#' })).toEqual([expect.stringMatching(/^endless recursion: # → #/)]);
  });

  it('refuses a two-step loop through $defs, naming the path', () => {
    const schema = { $defs: { a: { $ref: '#/$defs/b' }, b: { anyOf: [{ type: 'string' }, { $ref: '#/$defs/a' }] } }, $ref: '#/$defs/a' };
    expect(problems(schema)).toEqual([expect.stringContaining('#/$defs/a → #/$defs/b → #/$defs/b/anyOf/1 → #/$defs/a')]);
    expect(problems({ properties: { a: { if: { $ref: '#/properties/a' } } } })).toEqual([expect.stringMatching(/^endless recursion/)]);
  });

  it('accepts a tree and validates it at every level', () => {
    expect(problems(tree)).toEqual([]);
    expect(schemaViolations(tree, { name: 'root', children: [{ name: 'a', children: [] }, { name: 'b' }] })).toEqual([]);
    expect(schemaViolations(tree, { name: 'root', children: [{ name: 'a', children: [{ name: 5 }, {}] }] })).toEqual([
      { path: '/children/0/children/0/name', message: 'children.0.children.0.name must be string' },
      { path: '/children/0/children/1/name', message: 'children.0.children.1.name is required' },
    ]);
  });

  it('accepts recursion that descends along distinct paths (binary tree, any JSON value)', () => {
    expect(problems({ type: 'object', properties: { left: { $ref: '#' }, right: { $ref: '#' } } })).toEqual([]);
    const json = { anyOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'array', items: { $ref: '#' } }, { type: 'object', additionalProperties: { $ref: '#' } }] };
    expect(problems(json)).toEqual([]);
    expect(schemaViolations(json, { a: [1, { b: null }] })).toEqual([]);
  });

  it('refuses branches that multiply the checks of one value', () => {
    const $defs: Record<string, unknown> = { a30: { type: 'string' } };
    for (let level = 0; level < 30; level++) $defs[`a${level}`] = { allOf: [{ $ref: `#/$defs/a${level + 1}` }, { $ref: `#/$defs/a${level + 1}` }] };
    expect(problems({ $defs, $ref: '#/$defs/a0' })).toEqual([expect.stringMatching(/checks one value more than 10,000 times/)]);
  });

  it('refuses a chain of $refs longer than ajv can compile (300 overflow its stack)', () => {
    const chain = (length: number) => {
      const $defs: Record<string, unknown> = { [`d${length}`]: { type: 'string' } };
      for (let level = 0; level < length; level++) $defs[`d${level}`] = { anyOf: [{ $ref: `#/$defs/d${level + 1}` }, { type: 'null' }] };
      return { $defs, $ref: '#/$defs/d0' };
    };
    expect(problems(chain(300))).toEqual([expect.stringMatching(/nests more than 256 subschemas deep through its \$refs/)]);
    expect(problems(chain(60))).toEqual([]);
  });

  it('refuses recursion that checks one part of a value along two paths (exponential in its depth)', () => {
    expect(problems({ allOf: [{ items: { $ref: '#' } }, { items: { $ref: '#' } }] })).toEqual([expect.stringMatching(/^recursion at # checks the same part of a value/)]);
    expect(problems({ properties: { next: { $ref: '#' } }, patternProperties: { '^n': { $ref: '#' } } })).toEqual([expect.stringMatching(/exponential time/)]);
    expect(problems({ properties: { next: { $ref: '#' } }, patternProperties: { '^x': { $ref: '#' } } })).toEqual([]);
    expect(problems({ properties: { next: { $ref: '#' } }, additionalProperties: { $ref: '#' } })).toEqual([]);
  });
});

describe('references', () => {
  it('refuses a nested reference to another document or URL', () => {
    expect(problems({ type: 'object', properties: { address: { $ref: 'https://example.com/address.json' } } })).toEqual([
      expect.stringMatching(/^\$ref "https:\/\/example.com\/address.json" at #\/properties\/address points outside this schema/),
    ]);
    expect(problems({ items: { $ref: 'other.json#/a' } })).toEqual([expect.stringContaining('cannot be resolved offline')]);
  });

  it('refuses anchors, pointers to nothing, and nested $id', () => {
    expect(problems({ $ref: '#thing' })).toEqual([expect.stringContaining('named anchor')]);
    expect(problems({ properties: { a: { $ref: '#/$defs/missing' } } })).toEqual([expect.stringContaining('does not point to a subschema')]);
    expect(problems({ properties: { a: { $id: 'a', type: 'string' } } })).toEqual([expect.stringMatching(/^\$id at #\/properties\/a/)]);
  });

  it('resolves escaped pointers and references into any part of the document', () => {
    const schema = { properties: { 'a/b': { type: 'string' }, c: { $ref: '#/properties/a~1b' }, d: { $ref: '#/x-shared/n' } }, 'x-shared': { n: { type: 'number' } } };
    expect(problems(schema)).toEqual([]);
    expect(schemaViolations(schema, { c: 1, d: 'x' }).map((violation) => violation.path)).toEqual(['/c', '/d']);
  });

  it('lets two schemas share a root $id (it is dropped, not registered)', () => {
    expect(problems({ $id: 'form', type: 'string' })).toEqual([]);
    expect(problems({ $id: 'form', type: 'number' })).toEqual([]);
  });
});

describe('values', () => {
  it('checks uniqueItems in linear time, with key order not mattering', () => {
    const schema = { type: 'array', uniqueItems: true };
    const distinct = Array.from({ length: 20_000 }, (_, index) => [index, { index }]);
    expect(elapsed(() => expect(schemaViolations(schema, distinct)).toEqual([]))).toBeLessThan(500);
    expect(schemaViolations(schema, [{ a: 1, b: [2] }, 3, { b: [2], a: 1 }])).toEqual([{ path: '', message: 'value must NOT have duplicate items (items ## 0 and 2 are identical)' }]);
    expect(schemaViolations(schema, [1, '1', [1], { 1: 1 }])).toEqual([]);
  });

  it('never throws: a value too deep for the stack is a violation', () => {
    const root: Record<string, unknown> = { name: 'root' };
    let node = root;
    for (let level = 0; level < 100_000; level++) {
      const child: Record<string, unknown> = { name: 'n' };
      node.children = [child];
      node = child;
    }
    expect(schemaViolations(tree, root)).toEqual([{ path: '', message: 'value could not be checked against the schema: it is nested too deeply' }]);
    expect(schemaViolations({ $ref: '#' }, 1)).toEqual([{ path: '', message: expect.stringMatching(/^schema does not compile: endless recursion/) }]);
  });

  it('compiles each schema once and is not changed by later edits of the object', () => {
    const schema = { type: 'object', properties: { n: { type: 'number' } } };
    const first = compileJsonSchema(schema);
    expect(compileJsonSchema(structuredClone(schema))).toBe(first);
    schema.properties.n.type = 'string';
    expect(first.ok && first.validate({ n: 1 })).toBe(true);
  });
});
