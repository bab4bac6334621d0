// The pure parts of action forms and expression help: fields from a schema, fixed/expression
// conversions, what survives an action switch, the completion at a caret (including hostile text and
// data), and previews (an endless expression ends within its budget as an error).
import { describe, expect, it } from 'vitest';
import { compatible, inputKind, inputProperties, keepForAction, modeOfValue, toExpressionValue, toFixedValue, withAction } from './action-input-model.js';
import { acceptCompletion, completeAt } from './expression-complete.js';
import { previewOf, showValue } from './expression-preview.js';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import { nameScope } from '../../../shared/validate-names.js';
import { fromData, fromSchema, merge, upstreamIds, type ScopeEntry } from './expression-scope.js';

const scope: ScopeEntry[] = [
  { name: 'input', children: [{ name: 'amount' }, { name: 'account', children: [{ name: 'iban' }] }] },
  { name: 'nodes', children: [{ name: 'fetch-1', children: [{ name: 'status' }] }, { name: 'fetch' }] },
  { name: 'instance', children: [{ name: 'id' }] },
];
const labels = (text: string, caret = text.length, explicit = false) => completeAt(text, caret, scope, { explicit })?.options.map((option) => option.label) ?? [];

describe('completion at the caret', () => {
  it.each<[string, string[]]>([
    ['{{ ', ['input', 'nodes', 'instance']],
    ['{{ in', ['input', 'instance']],
    ['{{ input.a', ['amount', 'account']],
    ['{{ input . acc', ['account']],
    ['{{ input.account.', ['iban']],
    ['{{ nodes.`fetch-1`.', ['status']],
    ['{{ nodes.`fet', ['fetch-1', 'fetch']],
    ['{{ $sum(input.', ['amount', 'account']],
    ['{{ input.amount > 1 and nodes.', ['fetch-1', 'fetch']],
    ['{{ 1 }} then {{ input.', ['amount', 'account']],
  ])('%j offers %j', (text, expected) => expect(labels(text)).toEqual(expected));

  it.each([
    'input.', // outside braces: literal text
    '{{ input.amount }} and input.',
    '{{ input.amount', // written out
    '{{ input.nope.', // no such name
    '{{ $var.', // a variable, not the root
    '{{ f().', // a call's result
    '{{ a[0].', // a filtered path
    '{{ 9in', // not a name
    '{{ input.amount > ', // an operator: only on request
  ])('%j offers nothing', (text) => expect(labels(text)).toEqual([]));

  it('offers the names from the root on request (Ctrl+Space) after an operator', () => {
    expect(labels('{{ input.amount > ', undefined, true)).toEqual(['input', 'nodes', 'instance']);
  });

  it('replaces only the typed part, before the caret, quoting ids JSONata would misread', () => {
    const text = '{{ nodes.fe }} rest';
    const result = completeAt(text, 11, scope)!;
    expect(result).toMatchObject({ from: 9, to: 11 });
    expect(acceptCompletion(text, result, result.options[0])).toEqual({ text: '{{ nodes.`fetch-1` }} rest', caret: 18 });
  });

  it('copes with hostile text: huge, unbalanced, full of backticks', () => {
    const huge = `{{ ${'input.amount + '.repeat(20_000)}input.`;
    const started = performance.now();
    expect(labels(huge)).toEqual(['amount', 'account']);
    // The last "{{ `" opens a quoted name: every root name fits it.
    expect(labels('{{ `'.repeat(5_000))).toEqual(['input', 'nodes', 'instance']);
    expect(labels('}}{{}}{{ nodes.``.')).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('the scope tree', () => {
  it('offers as upstream exactly the nodes the validator says run before (loops included)', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const links = [['a', 'b'], ['b', 'c'], ['c', 'b'], ['c', 'd'], ['a', 'e']];
    const graph = {
      format: 'cairn.graph/v2',
      nodes: ids.map((id) => ({ id, kind: 'step', position: { x: 0, y: 0 }, config: {} })),
      edges: links.map(([source, target], index) => ({ id: `e${index}`, source, sourcePort: 'ok', target })),
    } as Graph;
    const scope = nameScope(graph);
    for (const id of ids) expect(upstreamIds(graph, id), id).toEqual(ids.filter((other) => scope.reaches(other, id)));
    expect(upstreamIds(graph, 'b')).toEqual(['a', 'b', 'c']);
    expect(upstreamIds(graph, 'a')).toEqual([]);
  });

  it('reads schemas (an array’s items’ properties) and data, and merges them', () => {
    const schema = { type: 'object', properties: { lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } } } };
    expect(fromSchema(schema)).toEqual([{ name: 'lines', detail: 'array', children: [{ name: 'sku', detail: 'string' }] }]);
    expect(fromData({ lines: [{ sku: 'a' }, { qty: 1 }] })).toEqual([{ name: 'lines', detail: 'array', children: [{ name: 'sku', detail: 'string' }, { name: 'qty', detail: 'number' }] }]);
    expect(merge(fromSchema(schema), fromData({ lines: [{ qty: 1 }], more: true })).map((entry) => entry.name)).toEqual(['lines', 'more']);
  });

  it('stays small on hostile data and schemas: deep, wide, not objects', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    const depthOf = (entries: ScopeEntry[]): number => (entries.length ? 1 + Math.max(...entries.map((entry) => depthOf(entry.children ?? []))) : 0);
    expect(depthOf(fromData(deep))).toBe(5);
    expect(fromData(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])))).toHaveLength(100);
    for (const junk of [null, 42, 'text', [], { properties: 'x' }, { properties: { a: null } }]) {
      expect(() => fromSchema(junk)).not.toThrow();
      expect(() => fromData(junk)).not.toThrow();
    }
  });
});

describe('action input fields', () => {
  const schema = {
    type: 'object',
    required: ['url'],
    properties: {
      url: { type: 'string', title: 'URL' },
      method: { type: 'string', enum: ['GET', 'POST'], default: 'GET' },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      body: {},
      count: { type: 'integer' },
      on: { type: 'boolean' },
    },
  };

  it('get a kind per type, the title or the key, and required marks', () => {
    expect(inputProperties(schema).map(({ key, kind, title, required }) => [key, kind, title, required])).toEqual([
      ['url', 'string', 'URL', true],
      ['method', 'enum', 'method', false],
      ['headers', 'map', 'headers', false],
      ['body', 'json', 'body', false],
      ['count', 'integer', 'count', false],
      ['on', 'boolean', 'on', false],
    ]);
    expect(inputKind({ type: 'object', additionalProperties: false } as never)).toBe('json');
    for (const junk of [null, 'x', { properties: null }, { properties: { a: 'nope' } }]) expect(() => inputProperties(junk)).not.toThrow();
  });

  it('read text by its braces, and any text in a typed field as an expression', () => {
    expect(modeOfValue('string', 'plain')).toBe('fixed');
    expect(modeOfValue('string', 'a {{ b }}')).toBe('expression');
    expect(modeOfValue('integer', 'input.n')).toBe('expression');
    expect(modeOfValue('integer', 3)).toBe('fixed');
    expect(modeOfValue('json', 'text')).toBe('fixed');
  });

  it('switch to an expression and back, keeping literals of the field’s type', () => {
    expect(toExpressionValue(undefined)).toBe('{{  }}');
    expect(toExpressionValue('GET')).toBe('{{ "GET" }}');
    expect(toExpressionValue(5)).toBe('{{ 5 }}');
    // "}}" inside a string would end the braces: it is escaped, and the expression still gives the value.
    expect(toFixedValue('object', {}, toExpressionValue({ a: '}}' }))).toEqual({ a: '}}' });
    expect(toExpressionValue({ a: 1 })).toBe('{{ {"a":1} }}');
    expect(toFixedValue('integer', {}, '{{ 5 }}')).toBe(5);
    expect(toFixedValue('integer', {}, '{{ 5.5 }}')).toBeUndefined();
    expect(toFixedValue('enum', { enum: ['GET'] }, '{{ "GET" }}')).toBe('GET');
    expect(toFixedValue('enum', { enum: ['GET'] }, '{{ "PUT" }}')).toBeUndefined();
    expect(toFixedValue('boolean', {}, '{{ input.on }}')).toBeUndefined();
    expect(toFixedValue('string', {}, '{{ "hi" }}')).toBe('hi');
  });

  it('keep, on an action switch, the same names with values the new action accepts', () => {
    expect(compatible('{{ anything }}', { type: 'number' })).toBe(true);
    expect(compatible('text {{ x }}', { type: 'number' })).toBe(false);
    expect(compatible(2, { type: 'number' })).toBe(true);
    expect(compatible(2.5, { type: 'integer' })).toBe(false);
    expect(compatible('PUT', { enum: ['GET'] })).toBe(false);
    expect(keepForAction({ url: 'u', method: 'PUT', extra: 1 }, { properties: { url: { type: 'string' }, method: { enum: ['GET'] } } })).toEqual({ input: { url: 'u' }, dropped: ['method', 'extra'] });
    expect(keepForAction('{{ input }}', schema)).toEqual({ input: {}, dropped: [] });
    const actions = [{ name: 'a', description: '', inputSchema: { properties: { x: {} } } }];
    const step = { action: 'b', input: { x: 1, y: 2 }, timeout: '5s' };
    expect(withAction(step, 'a', actions)).toEqual({ action: 'a', input: { x: 1 }, timeout: '5s' });
    expect(withAction(step, 'nope', actions)).toEqual({ ...step, action: 'nope' });
    expect(withAction(step, 'b', actions)).toBe(step);
  });
});

describe('previews', () => {
  const root = { input: { n: 2 }, nodes: {}, instance: { id: 'r', workflow: 'w', version: 1, startedAt: '2026-01-01T00:00:00.000Z' } };

  it('give values, text, nothing, or the error', async () => {
    expect(await previewOf('{{ input.n + 1 }}', root)).toEqual({ ok: true, text: '3' });
    expect(await previewOf('n = {{ input.n }}', root)).toEqual({ ok: true, text: '"n = 2"' });
    expect(await previewOf('{{ input.nothing }}', root)).toEqual({ ok: true, text: 'nothing (no value at that path)' });
    expect(await previewOf('plain', root)).toBeUndefined();
    expect(await previewOf('{{ input.n', root)).toMatchObject({ ok: false, message: expect.stringContaining('unbalanced') });
    expect(showValue('x'.repeat(1_000))).toHaveLength(301);
  });

  it('end an endless expression within the budget, as an error', async () => {
    const started = performance.now();
    const result = await previewOf('{{ ($f := function($x) { $f($x) + 1 }; $f(1)) }}', root);
    expect(result?.ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
