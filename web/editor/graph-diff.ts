// A visual diff of two graphs: which nodes and edges were added, removed or changed.
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { DiffMark } from './flow-projection.js';

export interface GraphDiff {
  nodes: Record<string, DiffMark>;
  edges: Record<string, DiffMark>;
  /** The graph to draw: the newer one plus the removed elements of the older one. */
  merged: Graph;
}

const edgeKey = (edge: Graph['edges'][number]) => `${edge.source}\u0000${edge.sourcePort}\u0000${edge.target}`;

/** Compare `before` (e.g. a version) with `after` (e.g. the draft). Positions alone are no change. */
export function diffGraphs(before: Graph, after: Graph): GraphDiff {
  const nodes: Record<string, DiffMark> = {};
  const edges: Record<string, DiffMark> = {};
  const oldNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const newIds = new Set(after.nodes.map((node) => node.id));
  for (const node of after.nodes) {
    const old = oldNodes.get(node.id);
    if (!old) nodes[node.id] = 'added';
    else if (old.kind !== node.kind || (old.label ?? '') !== (node.label ?? '') || JSON.stringify(old.config) !== JSON.stringify(node.config)) nodes[node.id] = 'changed';
  }
  const removedNodes = before.nodes.filter((node) => !newIds.has(node.id));
  for (const node of removedNodes) nodes[node.id] = 'removed';

  const oldEdges = new Set(before.edges.map(edgeKey));
  const newEdges = new Set(after.edges.map(edgeKey));
  for (const edge of after.edges) if (!oldEdges.has(edgeKey(edge))) edges[edge.id] = 'added';
  const removedEdges = before.edges.filter((edge) => !newEdges.has(edgeKey(edge))).map((edge) => ({ ...edge, id: `removed:${edge.id}` }));
  for (const edge of removedEdges) edges[edge.id] = 'removed';

  return { nodes, edges, merged: { ...after, nodes: [...after.nodes, ...removedNodes], edges: [...after.edges, ...removedEdges] } };
}
