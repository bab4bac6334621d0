// The field-level graph diff: which field of a changed node changed, from what to what; positions
// and key order are no change; removed elements are kept to draw.
import { describe, expect, it } from 'vitest';
import { GRAPH_FORMAT, type Graph, type GraphNode } from '../../shared/graph/graph.schema.js';
import { diffEntries, diffGraphs, fieldName, formatDiffValue, nodeFieldChanges, sameValue } from './graph-diff.js';

const node = (id: string, kind: string, config: Record<string, unknown> = {}, extra: Partial<GraphNode> = {}): GraphNode => ({ id, kind, position: { x: 0, y: 0 }, config, ...extra });
const graph = (nodes: GraphNode[], edges: [string, string, string][] = []): Graph => ({
  format: GRAPH_FORMAT,
  nodes,
  edges: edges.map(([source, sourcePort, target], index) => ({ id: `e${index + 1}`, source, sourcePort, target })),
});

const v1 = graph(
  [
    node('start', 'start'),
    node('review', 'approval', { title: 'Approve {{ input.amount }}?', assignees: { roles: ['manager'] }, timeout: '3d' }, { label: 'Manager approval' }),
    node('pay', 'step', { action: 'log', input: { message: 'pay' }, retry: { maxAttempts: 3, initialInterval: '1s' } }),
    node('old', 'wait', { duration: '1h' }),
    node('done', 'end'),
  ],
  [
    ['start', 'next', 'review'],
    ['review', 'approved', 'pay'],
    ['pay', 'ok', 'old'],
    ['old', 'next', 'done'],
  ],
);

describe('diffGraphs', () => {
  it('names each changed field with its value before and after', () => {
    const v2 = structuredClone(v1);
    const review = v2.nodes[1];
    review.label = 'Finance approval';
    review.config = { ...review.config, timeout: '5d', assignees: { roles: ['finance'] } };
    delete review.config.title;
    review.config.title = 'Approve {{ input.amount }}?'; // same value, moved in key order: no change
    v2.nodes[2].config = { ...v2.nodes[2].config, retry: { maxAttempts: 5, initialInterval: '1s' }, timeout: '10s' };
    v2.nodes[0].position = { x: 400, y: 40 }; // moved only

    const diff = diffGraphs(v1, v2);
    expect(diff.nodes).toEqual({ review: 'changed', pay: 'changed' });
    expect(diff.fields.review).toEqual([
      { path: 'label', before: 'Manager approval', after: 'Finance approval' },
      { path: 'config.assignees.roles', before: ['manager'], after: ['finance'] },
      { path: 'config.timeout', before: '3d', after: '5d' },
    ]);
    expect(diff.fields.pay).toEqual([
      { path: 'config.retry.maxAttempts', before: 3, after: 5 },
      { path: 'config.timeout', before: undefined, after: '10s' },
    ]);
    expect(diff.fields.start).toBeUndefined();
  });

  it('reports a field taken away, a kind change, and added and removed nodes and edges', () => {
    const v2 = structuredClone(v1);
    delete v2.nodes[1].config.timeout;
    v2.nodes = v2.nodes.filter((item) => item.id !== 'old');
    v2.nodes.push(node('late', 'event', { event: 'paid' }));
    v2.nodes = v2.nodes.map((item) => (item.id === 'done' ? { ...item, kind: 'fail', config: { message: 'no' } } : item));
    v2.edges = [...v2.edges.filter((edge) => edge.source !== 'old' && edge.target !== 'old'), { id: 'e9', source: 'pay', sourcePort: 'ok', target: 'late' }];

    const diff = diffGraphs(v1, v2);
    expect(diff.nodes).toEqual({ review: 'changed', late: 'added', old: 'removed', done: 'changed' });
    expect(diff.fields.review).toEqual([{ path: 'config.timeout', before: '3d', after: undefined }]);
    expect(diff.fields.done).toEqual([
      { path: 'kind', before: 'end', after: 'fail' },
      { path: 'config.message', before: undefined, after: 'no' },
    ]);
    expect(diff.edges).toEqual({ e9: 'added', 'removed:e3': 'removed', 'removed:e4': 'removed' });
    // The removed node and edges are drawn too, from the older graph.
    expect(diff.merged.nodes.map((item) => item.id)).toContain('old');
    expect(diff.merged.edges.map((edge) => edge.id)).toEqual(expect.arrayContaining(['removed:e3', 'removed:e4']));
  });

  it('finds nothing between a graph and a copy of it with other positions and key order', () => {
    const copy = structuredClone(v1);
    copy.nodes = copy.nodes.map((item) => ({ ...item, position: { x: item.position.x + 10, y: 5 }, config: Object.fromEntries(Object.entries(item.config).reverse()) }));
    const diff = diffGraphs(v1, copy);
    expect(diff.nodes).toEqual({});
    expect(diff.edges).toEqual({});
    expect(diffEntries(diff)).toEqual([]);
  });

  it('compares two versions either way round', () => {
    const v2 = structuredClone(v1);
    v2.nodes[3].config = { until: '{{ input.dueAt }}' };
    expect(diffGraphs(v1, v2).fields.old).toEqual([
      { path: 'config.until', before: undefined, after: '{{ input.dueAt }}' },
      { path: 'config.duration', before: '1h', after: undefined },
    ]);
    expect(diffGraphs(v2, v1).fields.old).toEqual([
      { path: 'config.duration', before: undefined, after: '1h' },
      { path: 'config.until', before: '{{ input.dueAt }}', after: undefined },
    ]);
  });
});

describe('what the drawer lists', () => {
  it('lists nodes by label and id, edges by their ends and port', () => {
    const v2 = structuredClone(v1);
    v2.nodes[1].config = { ...v2.nodes[1].config, timeout: '5d' };
    v2.edges.push({ id: 'e5', source: 'review', sourcePort: 'rejected', target: 'done' });
    const entries = diffEntries(diffGraphs(v1, v2));
    expect(entries).toEqual([
      { id: 'review', mark: 'changed', title: 'Manager approval (review)', fields: [{ path: 'config.timeout', before: '3d', after: '5d' }] },
      { id: 'e5', mark: 'added', title: 'Manager approval —rejected→ done', fields: [] },
    ]);
  });

  it('formats values short, and strips the config prefix', () => {
    expect(formatDiffValue('7d')).toBe('“7d”');
    expect(formatDiffValue(undefined)).toBe('—');
    expect(formatDiffValue({ roles: ['manager'] })).toBe('{"roles":["manager"]}');
    expect(formatDiffValue('x'.repeat(100), 20)).toHaveLength(20);
    expect(fieldName('config.retry.maxAttempts')).toBe('retry.maxAttempts');
    expect(fieldName('label')).toBe('label');
  });

  it('compares JSON values structurally', () => {
    expect(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue({ a: undefined }, {})).toBe(true);
    expect(sameValue(null, {})).toBe(false);
    expect(sameValue([], {})).toBe(false);
    expect(nodeFieldChanges(node('a', 'end', { output: null }), node('a', 'end', {}))).toEqual([{ path: 'config.output', before: null, after: undefined }]);
  });
});
