// Reading cairn.graph/v1: bare JSONata in v1's expression fields is wrapped in {{ }} so that every v1
// graph means what it meant (DESIGN §2's literal rule arrived with v2). Checked by evaluating each
// field both ways: as v1 did (the bare text as JSONata) and as v2 does (the upgraded text).
import { describe, expect, it } from 'vitest';
import { evaluateExpression, resolveString, type EvaluationRoot } from '../expressions.js';
import { GRAPH_FORMAT, graphSchema } from './graph.schema.js';
import { braceExpression, GRAPH_FORMAT_V1, upgradeV1, V1_BARE_EXPRESSION_FIELDS } from './upgrade.js';

const root: EvaluationRoot = {
  input: { amount: 120, name: 'Ada', tags: ['a', 'b'] },
  nodes: { review: { decision: 'approve', by: 'ada' } },
  instance: { id: 'i1', workflow: 'expenses', version: 1, startedAt: '2026-01-01T00:00:00.000Z' },
};

describe('braceExpression keeps the meaning of any v1 bare expression', () => {
  it.each([
    'input.amount > 100',
    'nodes.review.decision = "approve"',
    "'rejected'",
    '{"amount": input.amount, "nested": {"by": nodes.review.by}}',
    '{"a": {"b": {"c": 1}}}',
    '"closing }} inside a string"',
    "'single }} quoted'",
    '"escaped \\" quote }}"',
    '$count(input.tags)',
    'approved',
  ])('%s', async (source) => {
    const v1 = await evaluateExpression(source, root);
    const braced = braceExpression(source);
    expect(braced.startsWith('{{ ') && braced.endsWith(' }}')).toBe(true);
    expect(await resolveString(braced, root)).toEqual(v1);
  });
});

/** A v1 graph with a bare value in every field v1 evaluated bare, plus fields it did not. */
function v1Graph() {
  return {
    format: GRAPH_FORMAT_V1,
    nodes: [
      { id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} },
      { id: 'check', kind: 'branch', position: { x: 0, y: 0 }, config: { condition: 'input.amount > 100' } },
      { id: 'later', kind: 'wait', position: { x: 0, y: 0 }, config: { until: '$fromMillis($toMillis(instance.startedAt) + 1000)' } },
      { id: 'review', kind: 'approval', position: { x: 0, y: 0 }, config: { title: 'Pay {{ input.amount }}?', data: 'input', assignees: { roles: ['manager'] } } },
      { id: 'child', kind: 'subflow', position: { x: 0, y: 0 }, config: { workflow: 'book', input: '{"amount": input.amount}' } },
      { id: 'done', kind: 'end', position: { x: 0, y: 0 }, config: { output: 'nodes.review.decision' } },
      { id: 'plain', kind: 'end', position: { x: 0, y: 0 }, config: { output: '{{ input.name }}' } },
      { id: 'spaces', kind: 'end', position: { x: 0, y: 0 }, config: { output: '   ' } },
      { id: 'pay', kind: 'step', position: { x: 0, y: 0 }, config: { action: 'log', input: { message: 'approved' } } },
      { id: 'stop', kind: 'fail', position: { x: 0, y: 0 }, config: { message: 'rejected' } },
    ],
    edges: [],
  };
}

describe('a v1 graph read through the graph schema', () => {
  it('comes out as v2, with exactly the bare values of v1 expression fields wrapped', () => {
    const parsed = graphSchema.parse(v1Graph());
    expect(parsed.format).toBe(GRAPH_FORMAT);
    const config = (id: string) => parsed.nodes.find((node) => node.id === id)!.config;
    expect(config('check').condition).toBe('{{ input.amount > 100 }}');
    expect(config('later').until).toBe('{{ $fromMillis($toMillis(instance.startedAt) + 1000) }}');
    expect(config('review')).toMatchObject({ title: 'Pay {{ input.amount }}?', data: '{{ input }}' });
    expect(config('child').input).toBe('{{ {"amount": input.amount} }}');
    expect(config('done').output).toBe('{{ nodes.review.decision }}');
    // Already braced, blank (which never compiled), and fields v1 read as text: as they were.
    expect(config('plain').output).toBe('{{ input.name }}');
    expect(config('spaces').output).toBe('   ');
    expect(config('pay').input).toEqual({ message: 'approved' });
    expect(config('stop').message).toBe('rejected');
  });

  it('gives every upgraded field the value v1 gave it', async () => {
    const before = v1Graph();
    const after = graphSchema.parse(before);
    for (const node of before.nodes) {
      for (const field of V1_BARE_EXPRESSION_FIELDS[node.kind] ?? []) {
        const text = (node.config as Record<string, unknown>)[field];
        if (typeof text !== 'string' || !text.trim() || text.includes('{{')) continue;
        const upgraded = after.nodes.find((candidate) => candidate.id === node.id)!.config[field] as string;
        expect(await resolveString(upgraded, root), `${node.id}.${field}`).toEqual(await evaluateExpression(text, root));
      }
    }
  });

  it('leaves a v2 graph alone: bare text there is literal', () => {
    const v2 = { ...v1Graph(), format: GRAPH_FORMAT };
    expect(graphSchema.parse(v2).nodes.find((node) => node.id === 'check')!.config.condition).toBe('input.amount > 100');
  });

  it('does not change the graph it reads (stored versions keep their bytes)', () => {
    const graph = v1Graph();
    const copy = structuredClone(graph);
    upgradeV1(graph, GRAPH_FORMAT);
    graphSchema.parse(graph);
    expect(graph).toEqual(copy);
  });

  it('leaves values it cannot read alone for the validator to report: numbers, objects, null, unknown kinds', () => {
    const odd = {
      format: GRAPH_FORMAT_V1,
      nodes: [
        { id: 'a', kind: 'branch', config: { condition: 7 } },
        { id: 'b', kind: 'end', config: { output: { nested: 'x' } } },
        { id: 'c', kind: 'wait', config: { until: null } },
        { id: 'd', kind: 'mystery', config: { condition: 'x > 1' } },
        { id: 'e', kind: 'end', config: { output: 'x'.repeat(100_000) + '}}' } },
      ],
      edges: [],
    };
    const parsed = graphSchema.parse(odd);
    expect(parsed.nodes.slice(0, 4).map((node) => node.config)).toEqual(odd.nodes.slice(0, 4).map((node) => node.config));
    expect(parsed.nodes[4].config.output).toBe(`{{ ${'x'.repeat(100_000)}} } }}`);
  });

  it('refuses other formats, naming the ones it reads', () => {
    const result = graphSchema.safeParse({ ...v1Graph(), format: 'cairn.graph/v0' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toContain('"cairn.graph/v2" (or "cairn.graph/v1"');
  });
});
