// The validator's checks that match the engine (issue 13): text without {{ }} is literal in every
// field and a field that must be computed refuses it with the fix; every name an expression reads must
// be in the evaluation root when the node runs; a step's input must satisfy its action's declared input.
import { describe, expect, it } from 'vitest';
import { GRAPH_FORMAT, graphSchema, type Graph } from './graph/graph.schema.js';
import { validateGraph, type Problem, type ValidateOptions } from './validate.js';

type NodeSpec = [id: string, kind: string, config?: Record<string, unknown>];

/** Nodes as [id, kind, config], edges as "source.port -> target". */
function graph(nodes: NodeSpec[], edges: string[]): Graph {
  return graphSchema.parse({
    format: GRAPH_FORMAT,
    nodes: nodes.map(([id, kind, config = {}]) => ({ id, kind, config })),
    edges: edges.map((text, index) => {
      const [, source, sourcePort, target] = /^(\S+)\.(\S+) -> (\S+)$/.exec(text)!;
      return { id: `e${index + 1}`, source, sourcePort, target };
    }),
  });
}

/** The input schema http.request declares, as the action registry's describe() gives it. */
const HTTP_INPUT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    method: { default: 'GET', type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] },
    url: { type: 'string', format: 'uri' },
    headers: { default: {}, type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } },
    body: {},
  },
  required: ['url'],
};
const OPTIONS: ValidateOptions = {
  actions: ['http.request', 'log', 'charge', 'refund'],
  actionInputs: {
    'http.request': HTTP_INPUT,
    log: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
    charge: { type: 'object', properties: { amount: { type: 'number' }, currency: { type: 'string', minLength: 3 } }, required: ['amount'], additionalProperties: false },
    refund: { type: 'object', properties: { chargeId: { type: 'string' } }, required: ['chargeId'] },
  },
};

const INPUT_SCHEMA = { type: 'object', properties: { amount: { type: 'number' }, id: { type: 'string' } } };

/** start (declaring amount and id) → the node under test ("x") → end. */
const FIRST_PORT: Record<string, string> = { branch: 'true', step: 'ok', approval: 'approved', subflow: 'ok' };

function around(kind: string, config: Record<string, unknown>, port = FIRST_PORT[kind] ?? 'next'): Graph {
  const nodes: NodeSpec[] = [['start', 'start', { inputSchema: INPUT_SCHEMA }], ['x', kind, config], ['end', 'end']];
  const edges = ['start.next -> x', ...(kind === 'end' ? [] : [`x.${port} -> end`]), ...(kind === 'branch' ? ['x.false -> end'] : [])];
  return graph(kind === 'end' ? nodes.slice(0, 2) : nodes, edges);
}

function problemsOf(input: Graph): Problem[] {
  const { problems } = validateGraph(input, OPTIONS);
  for (const problem of problems) {
    // Every problem names its node and field, in its fields and in its words.
    expect(problem.message).toContain(`node "${problem.nodeId}"`);
    if (problem.field) expect(problem.message).toContain(problem.field);
  }
  return problems;
}

const only = (input: Graph) => problemsOf(input).map(({ code, nodeId, field }) => ({ code, nodeId, field }));

describe('text without {{ }} is literal; fields that must be computed refuse it, naming the fix', () => {
  it('a bare branch.condition is an error with the suggested fix', () => {
    const [problem] = problemsOf(around('branch', { condition: 'input.amount > 100' }));
    expect(problem).toMatchObject({ code: 'EXPRESSION_NOT_BRACED', nodeId: 'x', field: 'condition' });
    expect(problem.message).toBe('node "x" condition: "input.amount > 100" is literal text, but condition must be an expression: write {{ input.amount > 100 }}');
  });

  it('the suggested fix keeps a nested object whole ("}}" split so the braces stay paired)', () => {
    const [problem] = problemsOf(around('branch', { condition: '{"a": {"b": input.amount}}.a.b > 1' }));
    expect(problem.message).toContain('write {{ {"a": {"b": input.amount} }.a.b > 1 }}');
    expect(only(around('branch', { condition: '{{ {"a": {"b": input.amount} }.a.b > 1 }}' }))).toEqual([]);
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['end.output "approved"', 'end', { output: 'approved' }],
    ['approval.data as text', 'approval', { title: 'Ok?', data: 'Just approve it', assignees: { roles: ['manager'] }, timeout: '1d' }],
    ['subflow.input as text', 'subflow', { workflow: 'child', input: 'hello' }],
    ['a fixed ISO date-time in wait.until', 'wait', { until: '2026-12-31T09:00:00Z' }],
    ['a fixed date in wait.until', 'wait', { until: '2026-12-31' }],
  ])('%s is a literal value, not a problem', (_name, kind, config) => {
    expect(only(around(kind, config))).toEqual([]);
  });

  it.each([
    ['tomorrow', 'not an ISO date-time', 'write {{ tomorrow }}'],
    ['$now()', 'not an ISO date-time', 'write {{ $now() }}'],
    ['2026-13-45T99:00:00Z', 'not an ISO date-time', 'write {{ 2026-13-45T99:00:00Z }}'],
  ])('wait.until %j is refused as a date-time, naming the fix', (until, says, fix) => {
    const [problem] = problemsOf(around('wait', { until }));
    expect(problem).toMatchObject({ code: 'EXPRESSION_NOT_BRACED', field: 'until' });
    expect(problem.message).toContain(says);
    expect(problem.message).toContain(fix);
  });
});

describe('names an expression reads must be in the evaluation root when the node runs', () => {
  it('{{ approved }} reads a name that is not there, and says how to write the word', () => {
    const [problem] = problemsOf(around('end', { output: '{{ approved }}' }));
    expect(problem).toMatchObject({ code: 'UNKNOWN_NAME', nodeId: 'x', field: 'output' });
    expect(problem.message).toContain('"approved" is not a name expressions can read');
    expect(problem.message).toContain('for the text "approved", write it without {{ }}');
  });

  it.each<[string, string, string]>([
    ['a node that does not exist', '{{ nodes.ghost.id }}', 'there is no node "ghost"'],
    ['a node that runs later', '{{ nodes.end }}', 'node "end" does not run before "x"'],
    ['the node itself', '{{ nodes.x.status }}', 'node "x" does not run before "x"'],
    ['an input the start does not declare', 'Total: {{ input.amout }}', 'declares no "amout" (it declares "amount", "id")'],
    ['an instance field that does not exist', '{{ instance.owner }}', 'instance has only "id", "workflow", "version", "startedAt"'],
  ])('%s', (_name, message, says) => {
    const problems = problemsOf(around('step', { action: 'log', input: { message } }));
    expect(problems.map(({ code, field }) => ({ code, field }))).toEqual([{ code: 'UNKNOWN_NAME', field: 'input.message' }]);
    expect(problems[0].message).toContain(says);
  });

  it('accepts names that are there, and leaves alone names relative to other values', () => {
    const message = '{{ input.amount }} {{ instance.workflow }} {{ $count(input.id[$ != "x"]) }} {{ $map(nodes.start.lines, function($l) { $l.qty }) }} {{ nodes.start.lines[qty > 1].sku }}';
    expect(only(around('step', { action: 'log', input: { message } }))).toEqual([]);
  });

  it('lets a compensation read its own step, which has run by then', () => {
    const config = { action: 'charge', input: { amount: '{{ input.amount }}' }, compensate: { action: 'refund', input: { chargeId: '{{ nodes.x.id }}' } } };
    expect(only(around('step', config))).toEqual([]);
  });

  it('does not check input keys when the schema admits others', () => {
    const open = graph([['start', 'start', { inputSchema: { ...INPUT_SCHEMA, additionalProperties: true } }], ['x', 'end', { output: '{{ input.anything }}' }]], ['start.next -> x']);
    expect(only(open)).toEqual([]);
  });
});

describe("a step's input must satisfy its action's declared input", () => {
  it('an http.request step without url is refused, naming node and field', () => {
    const problems = problemsOf(around('step', { action: 'http.request', input: { method: 'POST' } }));
    expect(problems).toEqual([expect.objectContaining({ code: 'ACTION_INPUT_INVALID', nodeId: 'x', field: 'input.url' })]);
    expect(problems[0].message).toBe('node "x" input.url: url is required (input of http.request)');
  });

  it.each<[string, Record<string, unknown>, { field: string; says: string }[]]>([
    ['a method outside the enum', { url: 'https://example.com', method: 'FETCH' }, [{ field: 'input.method', says: 'must be one of "GET", "POST"' }]],
    ['a url that is no URL', { url: 'not a url' }, [{ field: 'input.url', says: 'must match format "uri"' }]],
    ['a header that is a number', { url: 'https://example.com', headers: { 'x-n': 5 } }, [{ field: 'input.headers.x-n', says: 'must be string' }]],
  ])('http.request with %s', (_name, input, expected) => {
    const problems = problemsOf(around('step', { action: 'http.request', input }));
    expect(problems.map(({ code, field }) => ({ code, field }))).toEqual(expected.map(({ field }) => ({ code: 'ACTION_INPUT_INVALID', field })));
    expected.forEach(({ says }, index) => expect(problems[index].message).toContain(says));
  });

  it.each<[string, Record<string, unknown>]>([
    ['a url from an expression', { url: '{{ "https://example.com/" & input.id }}' }],
    ['a url template', { url: 'https://example.com/{{ input.id }}' }],
    ['headers from an expression', { url: 'https://example.com', headers: '{{ { "x-id": input.id } }}' }],
    ['a header template', { url: 'https://example.com', headers: { 'x-id': 'id {{ input.id }}' } }],
    ['a body of any shape', { url: 'https://example.com', method: 'POST', body: { deep: ['{{ input.amount }}', 1, { x: null }] } }],
  ])('http.request with %s is accepted', (_name, input) => {
    expect(only(around('step', { action: 'http.request', input }))).toEqual([]);
  });

  it('a template where a number is expected always gives text: refused; a whole {{ }} or a number is fine', () => {
    const [problem, ...rest] = problemsOf(around('step', { action: 'charge', input: { amount: 'EUR {{ input.amount }}' } }));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: 'ACTION_INPUT_INVALID', field: 'input.amount' });
    expect(problem.message).toContain('is text with {{ }} (always text), but the action expects number');
    expect(only(around('step', { action: 'charge', input: { amount: '{{ input.amount }}' } }))).toEqual([]);
    expect(only(around('step', { action: 'charge', input: { amount: 12, currency: 'EUR' } }))).toEqual([]);
    expect(only(around('step', { action: 'charge', input: { amount: '12' } }))).toEqual([{ code: 'ACTION_INPUT_INVALID', nodeId: 'x', field: 'input.amount' }]);
  });

  it('a key the action does not take, when it takes no others', () => {
    const problems = problemsOf(around('step', { action: 'charge', input: { amount: 1, amonut: 2 } }));
    expect(problems.map(({ field, message }) => [field, message])).toEqual([['input.amonut', 'node "x" input.amonut: amonut is not an input this action takes (input of charge)']]);
  });

  it("checks a compensation's input against its own action", () => {
    const config = { action: 'charge', input: { amount: 5 }, compensate: { action: 'refund', input: {} } };
    expect(only(around('step', config))).toEqual([{ code: 'ACTION_INPUT_INVALID', nodeId: 'x', field: 'compensate.input.chargeId' }]);
  });

  it('checks nothing for an action with no declared input, or when no inputs are given', () => {
    expect(only(around('step', { action: 'unknown.kind', input: {} }))).toEqual([{ code: 'UNKNOWN_ACTION', nodeId: 'x', field: 'action' }]);
    expect(validateGraph(around('step', { action: 'http.request', input: {} }), { actions: OPTIONS.actions }).ok).toBe(true);
  });

  it.each<[string, unknown]>([
    ['an array', []],
    ['null', null],
    ['a schema that does not compile', { type: 'nonsense' }],
    ['a schema pointing elsewhere', { $ref: 'https://example.com/schema.json' }],
    ['a schema with a backreference pattern', { type: 'object', properties: { a: { type: 'string', pattern: '(a)\\1' } } }],
  ])('a declared input that is %s checks nothing and throws nothing', (_name, schema) => {
    const input = graph([['start', 'start'], ['x', 'step', { action: 'odd', input: { a: 'aa' } }], ['end', 'end']], ['start.next -> x', 'x.ok -> end']);
    expect(validateGraph(input, { actions: ['odd'], actionInputs: { odd: schema } }).problems).toEqual([]);
  });

  it('copes with hostile inputs: deep nesting, many keys, keys that look like pointers', () => {
    let deep: unknown = '{{ input.amount }}';
    for (let level = 0; level < 300; level++) deep = { d: deep };
    const many = Object.fromEntries(Array.from({ length: 5_000 }, (_, index) => [`k${index}`, index]));
    const input = { url: 'https://example.com', body: deep, headers: { 'a/b': 1, '~0': 'ok', __proto__: 'x' }, ...many };
    const problems = problemsOf(around('step', { action: 'http.request', input }));
    expect(problems.map(({ field }) => field)).toEqual(['input.headers.a/b']);
  });
});
