// validateGraph against the rules of DESIGN §2 ("A graph is valid when…") and the validator's own
// structural rules. Every case mutates a copy of one valid fixture and asserts the exact problems.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateGraph, type Problem } from './validate.js';
import type { Graph, GraphNode } from './graph/graph.schema.js';
import { nodeKinds } from './nodes/registry.js';

const ACTIONS = ['log', 'transform', 'http.request'];
const fixture: Graph = JSON.parse(readFileSync(new URL('./fixtures/expense.graph.json', import.meta.url), 'utf8'));

type Expected = Pick<Problem, 'code' | 'nodeId' | 'edgeId' | 'field'>;

interface Case {
  name: string;
  change: (graph: Graph) => void;
  expected: Expected[];
  /** Text every problem's message must also hold (e.g. the offending value). */
  mentions?: string;
}

function mutated(change: (graph: Graph) => void): Graph {
  const graph = structuredClone(fixture);
  change(graph);
  return graph;
}

function node(graph: Graph, id: string): GraphNode {
  const found = graph.nodes.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`fixture has no node "${id}"`);
  return found;
}

function config(graph: Graph, id: string): Record<string, any> {
  return node(graph, id).config as Record<string, any>;
}

function addNode(graph: Graph, id: string, kind: string, nodeConfig: Record<string, unknown> = {}): void {
  graph.nodes.push({ id, kind, position: { x: 0, y: 0 }, config: nodeConfig });
}

function addEdge(graph: Graph, id: string, source: string, sourcePort: string, target: string): void {
  graph.edges.push({ id, source, sourcePort, target });
}

function removeEdge(graph: Graph, id: string): void {
  const index = graph.edges.findIndex((edge) => edge.id === id);
  if (index < 0) throw new Error(`fixture has no edge "${id}"`);
  graph.edges.splice(index, 1);
}

function removeNode(graph: Graph, id: string): void {
  graph.nodes.splice(graph.nodes.indexOf(node(graph, id)), 1);
}

function compact(problem: Expected): Expected {
  const { code, nodeId, edgeId, field } = problem;
  return { code, ...(nodeId && { nodeId }), ...(edgeId && { edgeId }), ...(field && { field }) };
}

const sortKey = (problem: Expected) => [problem.code, problem.nodeId, problem.edgeId, problem.field].join('|');
const sorted = (problems: Expected[]) => problems.map(compact).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));

/** Validates with the fixture's actions; asserts exactly `expected` (in any order) and that each message names its node or edge. */
function expectProblems(graph: unknown, expected: Expected[], mentions?: string): Problem[] {
  const result = validateGraph(graph, { actions: ACTIONS });
  expect(sorted(result.problems)).toEqual(sorted(expected));
  expect(result.ok).toBe(expected.length === 0);
  for (const problem of result.problems) {
    const ids = [problem.nodeId, problem.edgeId].filter((id) => id !== undefined).map((id) => `"${id}"`);
    if (ids.length) expect(ids.some((id) => problem.message.includes(id)), `"${problem.message}" names one of ${ids}`).toBe(true);
    if (mentions) expect(problem.message).toContain(mentions);
  }
  return result.problems;
}

describe('the fixture', () => {
  it('is a valid graph', () => {
    const result = validateGraph(fixture, { actions: ACTIONS });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('uses every node kind of the registry', () => {
    expect(new Set(fixture.nodes.map((each) => each.kind))).toEqual(new Set(Object.keys(nodeKinds)));
  });
});

const ruleCases: Record<string, Case[]> = {
  'exactly one start': [
    {
      name: 'no start node',
      change: (graph) => {
        removeNode(graph, 'submitted');
        removeEdge(graph, 'e-start');
      },
      expected: [{ code: 'NO_START' }],
    },
    {
      name: 'a second start node (also unreachable from the first)',
      change: (graph) => {
        addNode(graph, 'resubmitted', 'start');
        addEdge(graph, 'e-restart', 'resubmitted', 'next', 'fetch');
      },
      expected: [
        { code: 'MULTIPLE_STARTS', nodeId: 'resubmitted' },
        { code: 'UNREACHABLE', nodeId: 'resubmitted' },
      ],
    },
  ],
  'every edge joins existing nodes': [
    {
      name: 'an edge to a missing node',
      change: (graph) => addEdge(graph, 'e-ghost', 'notify', 'error', 'ghost'),
      expected: [{ code: 'EDGE_UNKNOWN_NODE', edgeId: 'e-ghost' }],
      mentions: '"ghost"',
    },
    {
      name: 'an edge from a missing node',
      change: (graph) => addEdge(graph, 'e-phantom', 'phantom', 'next', 'done'),
      expected: [{ code: 'EDGE_UNKNOWN_NODE', edgeId: 'e-phantom' }],
      mentions: '"phantom"',
    },
  ],
  'every edge leaves on a port its source kind declares': [
    {
      name: 'a branch edge on port "maybe"',
      change: (graph) => addEdge(graph, 'e-maybe', 'check', 'maybe', 'done'),
      expected: [{ code: 'EDGE_UNKNOWN_PORT', edgeId: 'e-maybe', nodeId: 'check' }],
      mentions: '"maybe"',
    },
    {
      name: 'a step edge on another kind\'s port "next"',
      change: (graph) => addEdge(graph, 'e-fetch-next', 'fetch', 'next', 'done'),
      expected: [{ code: 'EDGE_UNKNOWN_PORT', edgeId: 'e-fetch-next', nodeId: 'fetch' }],
    },
    {
      name: 'an edge out of an end node, which has no ports',
      change: (graph) => addEdge(graph, 'e-after-end', 'done', 'next', 'failed'),
      expected: [{ code: 'EDGE_UNKNOWN_PORT', edgeId: 'e-after-end', nodeId: 'done' }],
    },
  ],
  'every node is reachable from start': [
    {
      name: 'a lone node',
      change: (graph) => addNode(graph, 'orphan', 'end'),
      expected: [{ code: 'UNREACHABLE', nodeId: 'orphan' }],
    },
    {
      name: 'an island of connected nodes',
      change: (graph) => {
        addNode(graph, 'island', 'step', { action: 'log' });
        addNode(graph, 'islandEnd', 'end');
        addEdge(graph, 'e-island', 'island', 'ok', 'islandEnd');
      },
      expected: [
        { code: 'UNREACHABLE', nodeId: 'island' },
        { code: 'UNREACHABLE', nodeId: 'islandEnd' },
      ],
    },
  ],
  'every node but end/fail has an outgoing edge': [
    {
      name: 'a wait with its only edge removed',
      change: (graph) => removeEdge(graph, 'e-later'),
      expected: [{ code: 'NO_OUTGOING_EDGE', nodeId: 'later' }],
    },
    {
      name: 'a step with neither ok nor error connected',
      change: (graph) => removeEdge(graph, 'e-notify-ok'),
      expected: [{ code: 'NO_OUTGOING_EDGE', nodeId: 'notify' }],
    },
    {
      name: 'an event with neither received nor timeout connected',
      change: (graph) => {
        removeEdge(graph, 'e-signal');
        removeEdge(graph, 'e-signal-timeout');
      },
      // …and the end that read its output no longer comes after it.
      expected: [
        { code: 'NO_OUTGOING_EDGE', nodeId: 'signal' },
        { code: 'UNKNOWN_NAME', nodeId: 'done', field: 'output' },
      ],
    },
  ],
  'every expression compiles': [
    {
      name: 'a template field (fail.message)',
      change: (graph) => (config(graph, 'failed').message = 'Expense {{ input.id }} failed: {{ nodes.fetch.( }}'),
      expected: [{ code: 'EXPRESSION_INVALID', nodeId: 'failed', field: 'message' }],
    },
    {
      name: 'an unbalanced template (approval.title)',
      change: (graph) => (config(graph, 'review').title = 'Approve {{ input.amount EUR?'),
      expected: [{ code: 'EXPRESSION_INVALID', nodeId: 'review', field: 'title' }],
    },
    {
      name: 'an empty {{ }} (ai.prompt)',
      change: (graph) => (config(graph, 'classify').prompt = 'Classify {{ }}'),
      expected: [{ code: 'EXPRESSION_INVALID', nodeId: 'classify', field: 'prompt' }],
    },
    {
      name: 'an expression field (branch.condition)',
      change: (graph) => (config(graph, 'check').condition = '{{ nodes.fetch.status = = 200 }}'),
      expected: [{ code: 'EXPRESSION_INVALID', nodeId: 'check', field: 'condition' }],
    },
    {
      name: 'an expression field written with braces (wait.until)',
      change: (graph) => (config(graph, 'later').until = '{{ $now( }}'),
      expected: [{ code: 'EXPRESSION_INVALID', nodeId: 'later', field: 'until' }],
    },
    {
      name: 'an optional expression field (end.output)',
      change: (graph) => (config(graph, 'done').output = '{{ nodes.signal[ }}'),
      expected: [{ code: 'EXPRESSION_INVALID', nodeId: 'done', field: 'output' }],
    },
    {
      name: 'subflow.input',
      change: (graph) => (config(graph, 'child').input = '{{ {"amount": input.amount }}'),
      expected: [{ code: 'EXPRESSION_INVALID', nodeId: 'child', field: 'input' }],
    },
    {
      name: "a nested value of a step's input object",
      change: (graph) => (config(graph, 'fetch').input.headers['x-amount'] = '{{ input.amount * }}'),
      expected: [{ code: 'EXPRESSION_INVALID', nodeId: 'fetch', field: 'input.headers.x-amount' }],
    },
    {
      name: "an array item of a step's input object",
      change: (graph) => (config(graph, 'fetch').input.tags[1] = '{{ ) }}'),
      expected: [{ code: 'EXPRESSION_INVALID', nodeId: 'fetch', field: 'input.tags.1' }],
    },
    {
      name: "a step's compensate.input",
      change: (graph) => (config(graph, 'fetch').compensate.input.url = 'https://x/{{ nodes.fetch.body.id + }}'),
      expected: [{ code: 'EXPRESSION_INVALID', nodeId: 'fetch', field: 'compensate.input.url' }],
    },
  ],
  'every JSON Schema compiles': [
    {
      name: 'start.inputSchema { type: "nonsense" }',
      change: (graph) => (config(graph, 'submitted').inputSchema = { type: 'nonsense' }),
      expected: [{ code: 'SCHEMA_INVALID', nodeId: 'submitted', field: 'inputSchema' }],
    },
    {
      name: 'approval.form with a bad property type',
      change: (graph) => (config(graph, 'review').form = { type: 'object', properties: { comment: { type: 'text' } } }),
      expected: [{ code: 'SCHEMA_INVALID', nodeId: 'review', field: 'form' }],
    },
    {
      name: 'ai.outputSchema with required as a string',
      change: (graph) => (config(graph, 'classify').outputSchema = { type: 'object', required: 'label' }),
      expected: [{ code: 'SCHEMA_INVALID', nodeId: 'classify', field: 'outputSchema' }],
    },
  ],
  'user regular expressions and schemas cannot stall or crash a run (issue 12)': [
    {
      name: 'an input schema pattern with a backreference',
      change: (graph) => (config(graph, 'submitted').inputSchema.properties.id.pattern = '^(\\w)\\1$'),
      expected: [{ code: 'SCHEMA_INVALID', nodeId: 'submitted', field: 'inputSchema' }],
      mentions: 'node "submitted" inputSchema: pattern at #/properties/id: the regular expression /^(\\w)\\1$/ uses a backreference',
    },
    {
      name: 'an approval form pattern with a lookahead',
      change: (graph) => (config(graph, 'review').form = { type: 'object', properties: { code: { type: 'string', pattern: '^(?=.*\\d)' } } }),
      expected: [{ code: 'SCHEMA_INVALID', nodeId: 'review', field: 'form' }],
      mentions: 'node "review" form: pattern at #/properties/code',
    },
    {
      name: 'an ai outputSchema that refers to itself endlessly',
      change: (graph) => (config(graph, 'classify').outputSchema = { $ref: '#' }),
      expected: [{ code: 'SCHEMA_INVALID', nodeId: 'classify', field: 'outputSchema' }],
      mentions: 'endless recursion',
    },
    {
      name: 'an input schema with 20,000 properties',
      change: (graph) => (config(graph, 'submitted').inputSchema.properties = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`f${i}`, { type: 'string' }]))),
      expected: [{ code: 'SCHEMA_INVALID', nodeId: 'submitted', field: 'inputSchema' }],
      mentions: 'over the limit of 64 KB',
    },
    {
      name: 'an approval form referring to another document',
      change: (graph) => (config(graph, 'review').form = { type: 'object', properties: { address: { $ref: 'https://example.com/address.json' } } }),
      expected: [{ code: 'SCHEMA_INVALID', nodeId: 'review', field: 'form' }],
      mentions: 'points outside this schema',
    },
    {
      name: 'every refused part of one schema, each a problem of its own',
      change: (graph) => (config(graph, 'classify').outputSchema = { properties: { a: { pattern: '(a)\\1' }, b: { $ref: 'other.json' } } }),
      expected: [
        { code: 'SCHEMA_INVALID', nodeId: 'classify', field: 'outputSchema' },
        { code: 'SCHEMA_INVALID', nodeId: 'classify', field: 'outputSchema' },
      ],
    },
    {
      name: 'a JSONata regex literal with a backreference (branch.condition)',
      change: (graph) => (config(graph, 'check').condition = '{{ $contains(input.id, /(a)\\1/) }}'),
      expected: [{ code: 'EXPRESSION_INVALID', nodeId: 'check', field: 'condition' }],
      mentions: 'node "check" condition: the regular expression /(a)\\1/ uses a backreference (\\1), which is not supported',
    },
    {
      name: "a JSONata regex literal with a lookbehind inside a template of a step's input",
      change: (graph) => (config(graph, 'fetch').input.headers['x-amount'] = '{{ $replace(input.id, /(?<=x)y/, "") }}'),
      expected: [{ code: 'EXPRESSION_INVALID', nodeId: 'fetch', field: 'input.headers.x-amount' }],
      mentions: 'lookbehind',
    },
  ],
  'every action is registered': [
    {
      name: 'step.action',
      change: (graph) => (config(graph, 'fetch').action = 'http.get'),
      expected: [{ code: 'UNKNOWN_ACTION', nodeId: 'fetch', field: 'action' }],
      mentions: '"http.get"',
    },
    {
      name: 'step.compensate.action',
      change: (graph) => (config(graph, 'fetch').compensate.action = 'refund'),
      expected: [{ code: 'UNKNOWN_ACTION', nodeId: 'fetch', field: 'compensate.action' }],
      mentions: '"refund"',
    },
  ],
  'durations parse': [
    {
      name: 'wait.duration "7 days"',
      change: (graph) => (config(graph, 'pause').duration = '7 days'),
      expected: [{ code: 'DURATION_INVALID', nodeId: 'pause', field: 'duration' }],
      mentions: '"7 days"',
    },
    {
      name: 'step retry.delays ["1h", "soon"]',
      change: (graph) => (config(graph, 'notify').retry = { delays: ['1h', 'soon'] }),
      expected: [{ code: 'DURATION_INVALID', nodeId: 'notify', field: 'retry.delays.1' }],
      mentions: '"soon"',
    },
    {
      name: 'step retry.initialInterval',
      change: (graph) => (config(graph, 'fetch').retry.initialInterval = 'a while'),
      expected: [{ code: 'DURATION_INVALID', nodeId: 'fetch', field: 'retry.initialInterval' }],
    },
    {
      name: 'step.timeout',
      change: (graph) => (config(graph, 'fetch').timeout = '30 seconds'),
      expected: [{ code: 'DURATION_INVALID', nodeId: 'fetch', field: 'timeout' }],
    },
    {
      name: 'event.timeout over a year',
      change: (graph) => (config(graph, 'signal').timeout = '999999999w'),
      expected: [{ code: 'DURATION_INVALID', nodeId: 'signal', field: 'timeout' }],
    },
    {
      name: 'approval.timeout negative',
      change: (graph) => (config(graph, 'review').timeout = '-1h'),
      expected: [{ code: 'DURATION_INVALID', nodeId: 'review', field: 'timeout' }],
    },
    {
      name: 'ai.timeout "PT"',
      change: (graph) => (config(graph, 'classify').timeout = 'PT'),
      expected: [{ code: 'DURATION_INVALID', nodeId: 'classify', field: 'timeout' }],
    },
  ],
  'config matches its kind': [
    {
      name: 'a wait with both duration and until',
      change: (graph) => (config(graph, 'pause').until = '{{ instance.startedAt }}'),
      expected: [{ code: 'CONFIG_INVALID', nodeId: 'pause' }],
    },
    {
      name: 'an approval with no assignee',
      change: (graph) => (config(graph, 'review').assignees = {}),
      expected: [{ code: 'CONFIG_INVALID', nodeId: 'review', field: 'assignees' }],
    },
    {
      name: 'an ai node without outputSchema',
      change: (graph) => delete config(graph, 'classify').outputSchema,
      expected: [{ code: 'CONFIG_INVALID', nodeId: 'classify', field: 'outputSchema' }],
    },
    {
      name: 'a retry mixing delays and backoff settings',
      change: (graph) => (config(graph, 'notify').retry = { delays: ['1m'], maxAttempts: 4 }),
      expected: [{ code: 'CONFIG_INVALID', nodeId: 'notify', field: 'retry' }],
    },
  ],
  'structure rules beyond DESIGN §2': [
    {
      name: 'a duplicate node id',
      change: (graph) => addNode(graph, 'done', 'end'),
      expected: [{ code: 'DUPLICATE_NODE_ID', nodeId: 'done' }],
    },
    {
      name: 'a duplicate edge id',
      change: (graph) => (graph.edges.find((edge) => edge.id === 'e-later')!.id = 'e-pause'),
      expected: [{ code: 'DUPLICATE_EDGE_ID', edgeId: 'e-pause' }],
    },
    {
      name: 'the same connection twice on parallel branches',
      change: (graph) => addEdge(graph, 'e-split-pause-2', 'split', 'branches', 'pause'),
      expected: [{ code: 'DUPLICATE_EDGE', edgeId: 'e-split-pause-2' }],
    },
    {
      name: 'the same connection twice on a single port',
      change: (graph) => addEdge(graph, 'e-later-2', 'later', 'next', 'done'),
      expected: [
        { code: 'DUPLICATE_EDGE', edgeId: 'e-later-2' },
        { code: 'PORT_HAS_MANY_EDGES', edgeId: 'e-later-2', nodeId: 'later' },
      ],
    },
    {
      name: 'two edges on a branch port',
      change: (graph) => addEdge(graph, 'e-check-true-2', 'check', 'true', 'later'),
      expected: [{ code: 'PORT_HAS_MANY_EDGES', edgeId: 'e-check-true-2', nodeId: 'check' }],
    },
    {
      name: 'an edge into the start node',
      change: (graph) => addEdge(graph, 'e-restart', 'split', 'branches', 'submitted'),
      expected: [{ code: 'EDGE_INTO_START', edgeId: 'e-restart', nodeId: 'submitted' }],
    },
    {
      name: 'an unknown kind',
      change: (graph) => (node(graph, 'later').kind = 'teleport'),
      expected: [{ code: 'UNKNOWN_KIND', nodeId: 'later' }],
      mentions: '"teleport"',
    },
  ],
};

for (const [rule, cases] of Object.entries(ruleCases)) {
  describe(rule, () => {
    it.each(cases)('$name', ({ change, expected, mentions }) => {
      expectProblems(mutated(change), expected, mentions);
    });
  });
}

describe('graphs that stay valid', () => {
  const allowed: { name: string; change: (graph: Graph) => void }[] = [
    ...['e-fetch-error', 'e-review-timeout', 'e-classify-fallback', 'e-child-error', 'e-signal-timeout'].map((edgeId) => ({
      name: `an unconnected failure port (without ${edgeId})`,
      change: (graph: Graph) => removeEdge(graph, edgeId),
    })),
    { name: 'a third edge on parallel branches', change: (graph) => addEdge(graph, 'e-split-later', 'split', 'branches', 'later') },
    {
      name: 'a cycle (a retry-until loop)',
      change: (graph) => (graph.edges.find((edge) => edge.id === 'e-later')!.target = 'check'),
    },
    { name: 'an end node without output', change: (graph) => delete config(graph, 'done').output },
    {
      name: 'a catastrophic-looking pattern, which runs in linear time',
      change: (graph) => (config(graph, 'review').form = { type: 'object', properties: { code: { type: 'string', pattern: '^(a+)+$' } } }),
    },
    {
      name: 'a recursive input schema (a tree)',
      change: (graph) =>
        (config(graph, 'submitted').inputSchema.properties.lines = { type: 'array', items: { type: 'object', properties: { children: { $ref: '#/properties/lines' } } } }),
    },
    { name: 'a JSONata regex RE2 runs', change: (graph) => (config(graph, 'check').condition = '{{ $contains(input.id, /^EXP-\\d{3,}$/i) }}') },
  ];

  it.each(allowed)('$name', ({ change }) => {
    expectProblems(mutated(change), []);
  });

  it('does not check action names when no action list is given', () => {
    const graph = mutated((draft) => (config(draft, 'fetch').action = 'http.get'));
    expect(validateGraph(graph).ok).toBe(true);
  });

  it('accepts a start inputSchema with an $id again after it was edited', () => {
    const withSchema = (schema: Record<string, unknown>) => mutated((draft) => (config(draft, 'submitted').inputSchema = schema));
    const first = { $id: 'https://cairn.example/expense-input', type: 'object' };
    const edited = { ...first, required: ['amount'] };
    expectProblems(withSchema(first), []);
    expectProblems(withSchema(edited), []);
  });
});

it('reports an expression field that holds only spaces (it cannot compile when the node runs)', () => {
  const result = validateGraph(
    mutated((draft) => (config(draft, 'check').condition = '   ')),
    { actions: ACTIONS },
  );
  expect(result.ok).toBe(false);
  expect(result.problems).toContainEqual(expect.objectContaining({ nodeId: 'check', field: 'condition' }));
});

it('reports every problem of a graph, not just the first', () => {
  const graph = mutated((draft) => {
    config(draft, 'submitted').inputSchema = { type: 'nonsense' };
    config(draft, 'fetch').action = 'http.get';
    config(draft, 'check').condition = '{{ input.amount > }}';
    config(draft, 'pause').duration = '7 days';
    addEdge(draft, 'e-ghost', 'notify', 'error', 'ghost');
  });
  expectProblems(graph, [
    { code: 'SCHEMA_INVALID', nodeId: 'submitted', field: 'inputSchema' },
    { code: 'UNKNOWN_ACTION', nodeId: 'fetch', field: 'action' },
    { code: 'EXPRESSION_INVALID', nodeId: 'check', field: 'condition' },
    { code: 'DURATION_INVALID', nodeId: 'pause', field: 'duration' },
    { code: 'EDGE_UNKNOWN_NODE', edgeId: 'e-ghost' },
  ]);
});

describe('malformed graph JSON', () => {
  const { format: _format, ...withoutFormat } = fixture;
  const cases: { name: string; input: unknown; mentions: string }[] = [
    { name: 'missing format', input: withoutFormat, mentions: 'format' },
    { name: 'another format', input: { ...fixture, format: 'cairn.graph/v3' }, mentions: 'format' },
    { name: 'nodes not an array', input: { ...fixture, nodes: {} }, mentions: 'nodes' },
    { name: 'missing edges', input: { format: fixture.format, nodes: fixture.nodes }, mentions: 'edges' },
    { name: 'a node id starting with a digit', input: mutated((draft) => (draft.nodes[0].id = '1st')), mentions: 'nodes.0.id' },
    { name: 'a node without kind', input: mutated((draft) => delete (draft.nodes[1] as Partial<GraphNode>).kind), mentions: 'nodes.1.kind' },
    { name: 'a config that is an array', input: mutated((draft) => ((draft.nodes[2] as any).config = [])), mentions: 'nodes.2.config' },
    { name: 'an edge without target', input: mutated((draft) => delete (draft.edges[0] as any).target), mentions: 'edges.0.target' },
    { name: 'null', input: null, mentions: 'graph' },
    { name: 'undefined', input: undefined, mentions: 'graph' },
    { name: 'a string', input: '{"format":"cairn.graph/v1"}', mentions: 'graph' },
    { name: 'an array', input: [], mentions: 'graph' },
  ];

  it.each(cases)('$name → GRAPH_INVALID, without throwing', ({ input, mentions }) => {
    const result = validateGraph(input, { actions: ACTIONS });
    expect(result.ok).toBe(false);
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.map((problem) => problem.code)).toEqual(result.problems.map(() => 'GRAPH_INVALID'));
    expect(result.problems.map((problem) => problem.message).join('\n')).toContain(mentions);
  });
});
