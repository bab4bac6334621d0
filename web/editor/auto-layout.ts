// Auto-layout with dagre: left to right, ranks by the graph's edges.
import dagre from '@dagrejs/dagre';
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { Position } from './graph-ops.js';

const NODE_WIDTH = 220;
const NODE_HEIGHT = 110;

export function layoutPositions(graph: Graph): Record<string, Position> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of graph.edges) g.setEdge(edge.source, edge.target);
  dagre.layout(g);
  return Object.fromEntries(
    graph.nodes.map((node) => {
      const placed = g.node(node.id);
      return [node.id, { x: Math.round(placed.x - NODE_WIDTH / 2), y: Math.round(placed.y - NODE_HEIGHT / 2) }];
    }),
  );
}
