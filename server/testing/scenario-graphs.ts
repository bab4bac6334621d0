// Graphs the Tests panel's tests share (server and browser): an order that an AI node classifies, a
// manager approves and a `paid` signal completes; and a line of transforms to run to a node.
import type { Graph } from '../../shared/graph/graph.schema.js';
import { buildGraph } from './graphs.js';

export const CLASSIFY_SCHEMA = { type: 'object', required: ['category'], properties: { category: { type: 'string' } } };

export function reviewedOrder(): Graph {
  const graph = buildGraph(
    [
      ['start', 'start'],
      ['classify', 'ai', { prompt: 'Classify this order: {{ input.text }}', outputSchema: CLASSIFY_SCHEMA }],
      ['review', 'approval', { title: 'Approve the {{ nodes.classify.category }} order?', assignees: { roles: ['manager'] } }],
      ['paid', 'event', { event: 'paid' }],
      ['done', 'end', { output: "{{ { 'category': nodes.classify.category, 'amount': nodes.paid.amount } }}" }],
      ['rejected', 'end', { output: 'rejected' }],
    ],
    ['start.next -> classify', 'classify.ok -> review', 'review.approved -> paid', 'review.rejected -> rejected', 'paid.received -> done'],
  );
  // The rejected end under the approval: the graph fits a narrow canvas (and a screenshot).
  graph.nodes.find((node) => node.id === 'rejected')!.position = { x: 480, y: 200 };
  return graph;
}

/** The same order with a branch between `paid` and `done`: a run of it takes another path. */
export function reviewedOrderWithCheck(): Graph {
  const graph = reviewedOrder();
  const check = buildGraph([['check', 'branch', { condition: '{{ nodes.paid.amount > 100 }}' }]], []).nodes[0];
  graph.nodes.push({ ...check, position: { x: 960, y: 160 } });
  graph.edges = graph.edges.filter((edge) => edge.source !== 'paid');
  graph.edges.push({ id: 'p1', source: 'paid', sourcePort: 'received', target: 'check' }, { id: 'p2', source: 'check', sourcePort: 'true', target: 'done' }, { id: 'p3', source: 'check', sourcePort: 'false', target: 'done' });
  return graph;
}

/** start → double → label → end, transforms only (no network): what "run to here" runs. */
export function transformLine(): Graph {
  return buildGraph(
    [
      ['start', 'start'],
      ['double', 'step', { action: 'transform', input: { expression: 'amount * 2', data: '{{ input }}' } }],
      ['label', 'step', { action: 'transform', input: { expression: "'total ' & $string(n)", data: '{{ { "n": nodes.double } }}' } }],
      ['end', 'end', { output: '{{ nodes.label }}' }],
    ],
    ['start.next -> double', 'double.ok -> label', 'label.ok -> end'],
  );
}
