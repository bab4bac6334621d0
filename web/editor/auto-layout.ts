// Auto-layout with dagre: left to right, ranks by the graph's edges, each node at its drawn size
// (nodes/node-size.ts); the gap between ranks leaves room for an edge label on the line.
import dagre from '@dagrejs/dagre';
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { Position } from './graph-ops.js';
import { nodeSize } from '../canvas/node-size.js';

export function layoutPositions(graph: Graph): Record<string, Position> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, nodeSize(node));
  for (const edge of graph.edges) g.setEdge(edge.source, edge.target);
  dagre.layout(g);
  return Object.fromEntries(
    graph.nodes.map((node) => {
      const placed = g.node(node.id);
      return [node.id, { x: Math.round(placed.x - placed.width / 2), y: Math.round(placed.y - placed.height / 2) }];
    }),
  );
}
