// One line per node saying what it does, read from the graph itself — never from what a model claims
// it did — for the review panel of a described workflow and the list of an AI change.
import type { Graph, GraphNode } from '../graph/graph.schema.js';
import { getNodeKind } from '../nodes/registry.js';

const clip = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function detail(node: GraphNode): string {
  const config = node.config as Record<string, unknown>;
  const text = (key: string) => (typeof config[key] === 'string' ? clip(config[key] as string) : undefined);
  const timeout = text('timeout') ? `, times out after ${text('timeout')}` : '';
  switch (node.kind) {
    case 'start':
      return 'the run starts here';
    case 'step': {
      const retry = config.retry as { maxAttempts?: number; delays?: string[] } | undefined;
      const retries = retry?.delays ? `, retried after ${retry.delays.join(', ')}` : retry?.maxAttempts ? `, up to ${retry.maxAttempts} attempts` : '';
      return `runs ${text('action') ?? 'an action'}${retries}`;
    }
    case 'wait':
      return text('duration') ? `waits ${text('duration')}` : `waits until ${text('until') ?? '…'}`;
    case 'event':
      return `waits for the signal "${text('event') ?? '…'}"${timeout}`;
    case 'approval':
      return `asks for approval: ${text('title') ?? '…'}${timeout}`;
    case 'ai':
      return `asks a model: ${text('prompt') ?? '…'}`;
    case 'branch':
      return `branches on ${text('condition') ?? '…'}`;
    case 'parallel':
      return 'runs its branches at the same time';
    case 'join':
      return 'waits for every branch';
    case 'subflow':
      return `runs the workflow ${text('workflow') ?? '…'}`;
    case 'end':
      return 'the run completes';
    case 'fail':
      return `the run fails: ${text('message') ?? '…'}`;
    default:
      return getNodeKind(node.kind)?.description ?? node.kind;
  }
}

export interface ReviewLine {
  nodeId: string;
  kind: string;
  text: string;
}

export function nodeLine(node: GraphNode): ReviewLine {
  const name = node.label ? `${node.label} (${node.id})` : node.id;
  return { nodeId: node.id, kind: node.kind, text: `${name}: ${detail(node)}` };
}

/** The graph's nodes in the order a run meets them (breadth-first from start), then any others. */
export function reviewLines(graph: Graph): ReviewLine[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const queue = graph.nodes.filter((node) => node.kind === 'start').map((node) => node.id);
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    order.push(id);
    for (const edge of graph.edges) if (edge.source === id && !seen.has(edge.target)) queue.push(edge.target);
  }
  for (const node of graph.nodes) if (!seen.has(node.id)) order.push(node.id);
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  return order.flatMap((id) => (byId.has(id) ? [nodeLine(byId.get(id)!)] : []));
}
