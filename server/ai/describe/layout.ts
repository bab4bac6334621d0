// Positions for nodes a model wrote: models place nodes badly or not at all, so a described graph is
// laid out left to right with dagre (as the editor's Auto-layout), and a node added by a change is
// put beside the node that leads to it — nodes that were there keep their place.
import dagre from '@dagrejs/dagre';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import { getNodeKind } from '../../../shared/nodes/registry.js';

const WIDTH = 200;
const heightOf = (kind: string) => 80 + (getNodeKind(kind)?.ports.length ?? 0) * 19;

export function layoutGraph(graph: Graph): Graph {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: WIDTH, height: heightOf(node.kind) });
  for (const edge of graph.edges) if (g.hasNode(edge.source) && g.hasNode(edge.target)) g.setEdge(edge.source, edge.target);
  dagre.layout(g);
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const placed = g.node(node.id);
      return { ...node, position: { x: Math.round(placed.x - WIDTH / 2), y: Math.round(placed.y - placed.height / 2) } };
    }),
  };
}

/** Places each node in `added` right of a node leading to it, below anything already there. */
export function placeAdded(graph: Graph, added: ReadonlySet<string>): Graph {
  const placed = new Map(graph.nodes.filter((node) => !added.has(node.id)).map((node) => [node.id, node.position]));
  const taken = (x: number, y: number) => [...placed.values()].some((position) => Math.abs(position.x - x) < WIDTH && Math.abs(position.y - y) < 100);
  const pending = graph.nodes.filter((node) => added.has(node.id));
  // Predecessors first: a chain of new nodes is placed one after the other.
  for (let round = 0; round < pending.length + 1 && pending.some((node) => !placed.has(node.id)); round++) {
    for (const node of pending) {
      if (placed.has(node.id)) continue;
      const from = graph.edges.find((edge) => edge.target === node.id && placed.has(edge.source));
      if (!from && round < pending.length) continue;
      const origin = from ? placed.get(from.source)! : { x: 0, y: Math.max(0, ...[...placed.values()].map((position) => position.y)) + 160 };
      let { x, y } = { x: origin.x + 280, y: origin.y };
      while (taken(x, y)) y += 140;
      placed.set(node.id, { x, y });
    }
  }
  return { ...graph, nodes: graph.nodes.map((node) => (added.has(node.id) ? { ...node, position: placed.get(node.id) ?? node.position } : node)) };
}
