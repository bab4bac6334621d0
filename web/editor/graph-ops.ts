// Pure edits of a cairn.graph/v2 graph: the editor's model. Every change the canvas makes is one of
// these, so undo/redo and autosave see whole, valid-shaped graphs.
import type { Graph, GraphEdge, GraphNode } from '../../shared/graph/graph.schema.js';
import { getNodeKind } from '../../shared/nodes/registry.js';

export type Position = { x: number; y: number };

export const emptyGraph = (): Graph => ({ format: 'cairn.graph/v2', nodes: [], edges: [] });

/** A fresh id for a node of a kind: "step", "step_2", … (no dashes: JSONata reads nodes.a-b as a minus). */
export function nextNodeId(graph: Graph, kind: string): string {
  const taken = new Set(graph.nodes.map((node) => node.id));
  if (!taken.has(kind)) return kind;
  for (let n = 2; ; n++) if (!taken.has(`${kind}_${n}`)) return `${kind}_${n}`;
}

export function nextEdgeId(graph: Graph): string {
  const taken = new Set(graph.edges.map((edge) => edge.id));
  for (let n = graph.edges.length + 1; ; n++) if (!taken.has(`e${n}`)) return `e${n}`;
}

export function addNode(graph: Graph, kind: string, position: Position): { graph: Graph; id: string } {
  const spec = getNodeKind(kind);
  if (!spec) throw new Error(`unknown node kind "${kind}"`);
  const id = nextNodeId(graph, kind);
  const node: GraphNode = { id, kind, position, config: structuredClone(spec.defaults) as Record<string, unknown> };
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id };
}

/** Why an edge may not be drawn, or undefined when it may (the canvas's isValidConnection). */
export function connectionProblem(graph: Graph, edge: Omit<GraphEdge, 'id'>): string | undefined {
  const source = graph.nodes.find((node) => node.id === edge.source);
  const target = graph.nodes.find((node) => node.id === edge.target);
  if (!source || !target) return 'both ends must be nodes';
  const kind = getNodeKind(source.kind);
  if (!kind?.ports.includes(edge.sourcePort)) return `a ${source.kind} node has no port "${edge.sourcePort}"`;
  if (target.kind === 'start') return 'nothing leads into the start node';
  if (graph.edges.some((other) => other.source === edge.source && other.sourcePort === edge.sourcePort && other.target === edge.target)) return 'that edge exists';
  if (!kind.multiPorts?.includes(edge.sourcePort) && graph.edges.some((other) => other.source === edge.source && other.sourcePort === edge.sourcePort)) {
    return `port "${edge.sourcePort}" already has an edge; use a parallel node for several paths`;
  }
  return undefined;
}

export function connect(graph: Graph, edge: Omit<GraphEdge, 'id'>): Graph {
  if (connectionProblem(graph, edge)) return graph;
  return { ...graph, edges: [...graph.edges, { id: nextEdgeId(graph), ...edge }] };
}

export function removeElements(graph: Graph, ids: { nodes?: readonly string[]; edges?: readonly string[] }): Graph {
  const nodes = new Set(ids.nodes ?? []);
  const edges = new Set(ids.edges ?? []);
  return {
    ...graph,
    nodes: graph.nodes.filter((node) => !nodes.has(node.id)),
    edges: graph.edges.filter((edge) => !edges.has(edge.id) && !nodes.has(edge.source) && !nodes.has(edge.target)),
  };
}

export function moveNodes(graph: Graph, positions: Record<string, Position>): Graph {
  return { ...graph, nodes: graph.nodes.map((node) => (positions[node.id] ? { ...node, position: positions[node.id] } : node)) };
}

export function updateNode(graph: Graph, id: string, change: { label?: string; config?: Record<string, unknown> }): Graph {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      if (node.id !== id) return node;
      const next: GraphNode = { ...node, ...(change.config ? { config: change.config } : {}) };
      if (change.label !== undefined) {
        if (change.label) next.label = change.label;
        else delete next.label;
      }
      return next;
    }),
  };
}

/** Rename a node, keeping its edges (and expressions are the user's to update). */
export function renameNode(graph: Graph, id: string, newId: string): Graph {
  if (id === newId || graph.nodes.some((node) => node.id === newId)) return graph;
  return {
    ...graph,
    nodes: graph.nodes.map((node) => (node.id === id ? { ...node, id: newId } : node)),
    edges: graph.edges.map((edge) => ({ ...edge, source: edge.source === id ? newId : edge.source, target: edge.target === id ? newId : edge.target })),
  };
}

/** What copy puts on the clipboard: the nodes and the edges between them. */
export interface Fragment {
  format: 'cairn.fragment/v1';
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function copyFragment(graph: Graph, nodeIds: readonly string[]): Fragment {
  const ids = new Set(nodeIds);
  return {
    format: 'cairn.fragment/v1',
    nodes: structuredClone(graph.nodes.filter((node) => ids.has(node.id))),
    edges: structuredClone(graph.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target))),
  };
}

/** Paste with new ids, offset, keeping the edges between pasted nodes; returns the new node ids. */
export function pasteFragment(graph: Graph, fragment: Fragment, offset: Position = { x: 40, y: 40 }): { graph: Graph; ids: string[] } {
  let next = graph;
  const renamed = new Map<string, string>();
  for (const node of fragment.nodes) {
    const id = nextNodeId(next, node.kind);
    renamed.set(node.id, id);
    next = { ...next, nodes: [...next.nodes, { ...structuredClone(node), id, position: { x: node.position.x + offset.x, y: node.position.y + offset.y } }] };
  }
  for (const edge of fragment.edges) {
    next = { ...next, edges: [...next.edges, { ...edge, id: nextEdgeId(next), source: renamed.get(edge.source)!, target: renamed.get(edge.target)! }] };
  }
  return { graph: next, ids: [...renamed.values()] };
}

export function isFragment(value: unknown): value is Fragment {
  return !!value && typeof value === 'object' && (value as Fragment).format === 'cairn.fragment/v1' && Array.isArray((value as Fragment).nodes);
}
