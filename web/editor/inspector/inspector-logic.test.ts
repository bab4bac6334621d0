// The inspector's pure parts: field descriptors from zod, config edits, the JSON Schema field list,
// expression names and insertion, value-map rows, duration wording and rename checks.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { nodeKinds } from '../../../shared/nodes/registry.js';
import { describeMs } from './DurationWidget.js';
import { renameProblem } from './NodeHeader.js';
import { fromRows, toRows } from './ValueMapWidget.js';
import { describeFields, fallbackWidget, fieldProblems, withField } from './config-fields.js';
import { expressionNames, insertName, nodePath } from './expression-names.js';
import { rowsToSchema, schemaToRows } from './json-schema-fields.js';

describe('field descriptors', () => {
  it('come from the registry metadata, with optional fields and defaults', () => {
    const fields = describeFields(nodeKinds.ai.config);
    expect(fields.map(({ key, widget, optional, defaultValue }) => ({ key, widget, optional, defaultValue }))).toEqual([
      { key: 'model', widget: 'model', optional: true, defaultValue: 'default' },
      { key: 'models', widget: 'stringList', optional: true, defaultValue: undefined },
      { key: 'system', widget: 'template', optional: true, defaultValue: undefined },
      { key: 'variables', widget: 'valueMap', optional: true, defaultValue: undefined },
      { key: 'inputSchema', widget: 'jsonSchema', optional: true, defaultValue: undefined },
      { key: 'prompt', widget: 'template', optional: false, defaultValue: undefined },
      { key: 'outputSchema', widget: 'jsonSchema', optional: false, defaultValue: undefined },
      { key: 'maxAttempts', widget: 'number', optional: true, defaultValue: 2 },
      { key: 'timeout', widget: 'duration', optional: true, defaultValue: '60s' },
      { key: 'maxRetryWait', widget: 'duration', optional: true, defaultValue: '5m' },
      { key: 'humanFallback', widget: 'assignees', optional: true, defaultValue: undefined },
    ]);
  });

  it.each<[z.ZodType, string]>([
    [z.string(), 'text'],
    [z.number().int().optional(), 'number'],
    [z.boolean().default(false), 'boolean'],
    [z.array(z.string()), 'stringList'],
    [z.array(z.number()), 'json'],
    [z.object({ a: z.string() }), 'json'],
  ])('fall back on the zod type without metadata (%#)', (schema, widget) => {
    expect(fallbackWidget(schema)).toBe(widget);
    const [field] = describeFields(z.object({ someField: schema }));
    expect(field).toMatchObject({ widget, title: 'Some field' });
  });

  it('check a field: schema issues, expression syntax, schema compilation', () => {
    const [condition] = describeFields(nodeKinds.branch.config);
    expect(fieldProblems(condition, '{{ a > }}')).toHaveLength(1);
    expect(fieldProblems(condition, '{{ a > 1 }}')).toEqual([]);
    // Bare text is literal: a condition refuses it, naming the fix.
    expect(fieldProblems(condition, 'a > 1')).toEqual(['"a > 1" is literal text, but condition must be an expression: write {{ a > 1 }}']);
    expect(fieldProblems(condition, undefined)).toEqual(['Condition is required']);
    const [inputSchema] = describeFields(nodeKinds.start.config);
    expect(fieldProblems(inputSchema, undefined)).toEqual([]);
    expect(fieldProblems(inputSchema, { type: 'nope' })[0]).toContain('does not compile');
  });
});

describe('withField', () => {
  it('sets a field, keeping the others and their order', () => {
    const config = { a: 1, unknown: { x: 1 }, b: 2 };
    expect(Object.entries(withField(config, 'a', 3))).toEqual([['a', 3], ['unknown', { x: 1 }], ['b', 2]]);
  });

  it('removes an unset field instead of storing undefined, and changes nothing for an absent one', () => {
    const config = { a: 1, b: 2 };
    const removed = withField(config, 'a', undefined);
    expect(removed).toEqual({ b: 2 });
    expect(Object.hasOwn(removed, 'a')).toBe(false);
    expect(withField(config, 'c', undefined)).toBe(config);
  });
});

describe('the JSON Schema field list', () => {
  it('reads a flat object schema and writes it back the same', () => {
    const schema = {
      type: 'object',
      title: 'Expense',
      additionalProperties: false,
      properties: { amount: { type: 'number', description: 'EUR', minimum: 0 }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['amount'],
    };
    const result = schemaToRows(schema);
    expect(result).toEqual({
      ok: true,
      rows: [
        { name: 'amount', type: 'number', required: true, description: 'EUR', extra: { minimum: 0 } },
        { name: 'tags', type: 'array', required: false, description: '', extra: { items: { type: 'string' } } },
      ],
    });
    expect(rowsToSchema(result.ok ? result.rows : [], schema)).toEqual(schema);
  });

  it('drops an empty required list and unnamed rows, and adds the object type', () => {
    expect(rowsToSchema([{ name: '', type: 'string', required: true, description: '', extra: {} }], { required: ['old'] })).toEqual({
      type: 'object',
      properties: {},
    });
  });

  it.each<[unknown, string]>([
    [[], 'not a JSON object'],
    [{ type: 'string' }, 'does not describe an object'],
    [{ type: 'object', anyOf: [] }, 'uses "anyOf"'],
    [{ type: 'object', properties: { a: { type: ['string', 'null'] } } }, 'property "a"'],
    [{ type: 'object', properties: { a: { $ref: '#/x' } } }, 'property "a"'],
    [{ type: 'object', properties: {}, required: ['a'] }, 'names "a"'],
  ])('cannot show %j', (schema, reason) => {
    const result = schemaToRows(schema);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });
});

describe('expression names', () => {
  it('are input, instance and every other node, quoting ids JSONata would misread', () => {
    expect(expressionNames(['a', 'step-2', 'me'], 'me')).toEqual(['input', 'instance', 'nodes.a', 'nodes.`step-2`']);
    expect(nodePath('_x1')).toBe('nodes._x1');
  });

  // Text outside {{ }} is literal in every field, so a name inserted there is wrapped.
  it.each<[string, number, string, number]>([
    ['', 0, '{{ input }}', 11],
    ['Hi ', 3, 'Hi {{ input }}', 14],
    ['{{  }}', 3, '{{ input }}', 8],
    ['{{ $count() }}', 10, '{{ $count(input) }}', 15],
    ['{{ 1 }} and ', 12, '{{ 1 }} and {{ input }}', 23],
  ])('insert into %j at %i', (text, caret, expected, after) => {
    const inserted = insertName(text, { start: caret, end: caret }, 'input');
    expect(inserted.text).toBe(expected);
    expect(inserted.caret).toBe(after);
  });
});

describe('value-map rows', () => {
  it('keep strings as text and other values as JSON, both ways', () => {
    const value = { a: 'x {{ input }}', n: 2, o: { deep: [1] } };
    const rows = toRows(value);
    expect(rows.map((row) => row.json)).toEqual([false, true, true]);
    expect(fromRows(rows)).toEqual({ ok: true, value });
  });

  it('refuse a key used twice and JSON that does not parse', () => {
    const result = fromRows([
      { key: 'a', text: '1', json: false },
      { key: 'a', text: '{', json: true },
    ]);
    expect(result.ok ? [] : result.problems).toEqual(['the key "a" is used twice', 'the value of "a" is not valid JSON']);
  });
});

describe('wording and checks', () => {
  it.each<[number, string]>([
    [0, '0 seconds'],
    [500, '500 milliseconds'],
    [90_000, '1 minute 30 seconds'],
    [604_800_000 * 2 + 86_400_000, '2 weeks 1 day'],
  ])('%i ms is "%s"', (ms, text) => expect(describeMs(ms)).toBe(text));

  it('renames only to a free, well-formed id', () => {
    expect(renameProblem(['a', 'b'], 'a', 'a')).toBeUndefined();
    expect(renameProblem(['a', 'b'], 'a', 'c')).toBeUndefined();
    expect(renameProblem(['a', 'b'], 'a', 'b')).toContain('already exists');
    expect(renameProblem(['a', 'b'], 'a', '1x')).toContain('starts with a letter');
  });
});
