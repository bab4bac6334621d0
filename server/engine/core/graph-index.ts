// A graph indexed for the interpreter: nodes by id with parsed configs, edges by (node, port) and
// incoming edges per node. Built once per version; versions are immutable.
import type { Graph, GraphEdge, GraphNode } from '../../../shared/graph/graph.schema.js';
import { getNodeKind } from '../../../shared/nodes/registry.js';

export interface IndexedNode {
  id: string;
  kind: string;
  label?: string;
  config: Record<string, unknown>;
}

export interface GraphIndex {
  startId: string;
  nodes: Map<string, IndexedNode>;
  outgoing(nodeId: string, port: string): GraphEdge[];
  incoming(nodeId: string): GraphEdge[];
}

/** Index a graph that passed validation. Configs are parsed so defaults are filled in. */
export function indexGraph(graph: Graph): GraphIndex {
  const nodes = new Map<string, IndexedNode>();
  for (const node of graph.nodes) nodes.set(node.id, indexNode(node));
  const byPort = new Map<string, GraphEdge[]>();
  const byTarget = new Map<string, GraphEdge[]>();
  for (const edge of graph.edges) {
    const key = `${edge.source}\u0000${edge.sourcePort}`;
    byPort.set(key, [...(byPort.get(key) ?? []), edge]);
    byTarget.set(edge.target, [...(byTarget.get(edge.target) ?? []), edge]);
  }
  const start = graph.nodes.find((node) => node.kind === 'start');
  if (!start) throw new Error('invariant: a validated graph has a start node');
  return {
    startId: start.id,
    nodes,
    outgoing: (nodeId, port) => byPort.get(`${nodeId}\u0000${port}`) ?? [],
    incoming: (nodeId) => byTarget.get(nodeId) ?? [],
  };
}

function indexNode(node: GraphNode): IndexedNode {
  const kind = getNodeKind(node.kind);
  if (!kind) throw new Error(`invariant: node "${node.id}" has unknown kind "${node.kind}"`);
  return { id: node.id, kind: kind.kind, label: node.label, config: kind.config.parse(node.config) as Record<string, unknown> };
}
