// The graph projected for React Flow (STYLE: the persisted graph is the model; the canvas shows a
// projection of it). Problems and diff marks ride along in node and edge data. Each node carries its
// size (nodes/node-size.ts), so the canvas can plan its view and place edge labels before drawing.
import { MarkerType, type Node } from '@xyflow/react';
import type { Graph, GraphNode } from '../../shared/graph/graph.schema.js';
import { getNodeKind } from '../../shared/nodes/registry.js';
import type { Problem } from '../../shared/validate.js';
import type { CairnFlowEdge, Obstacle } from './CairnEdge.js';
import { nodeSize } from './node-size.js';

export type DiffMark = 'added' | 'removed' | 'changed';

/** One field that differs: `path` is "label", "kind" or "config.<key>[.<key>…]"; absent is undefined. */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface CairnNodeData extends Record<string, unknown> {
  node: GraphNode;
  problems: string[];
  diff?: DiffMark;
  /** For a changed node: what changed (drawn as one line under the summary). */
  diffFields?: FieldChange[];
}

export type CairnFlowNode = Node<CairnNodeData, 'cairn'>;

/** Ports whose edges need no label: the one way on. */
const PLAIN_PORTS = new Set(['next', 'ok', 'branches']);

/** What a screen reader says for a node: "Manager approval, approval node". */
export function nodeName(node: GraphNode): string {
  const kind = getNodeKind(node.kind)?.label ?? node.kind;
  return `${node.label || kind}, ${kind.toLowerCase()} node`;
}

export function toFlow(
  graph: Graph,
  options: {
    problems?: readonly Problem[];
    selection?: { nodes: readonly string[]; edges: readonly string[] };
    diff?: { nodes: Record<string, DiffMark>; edges: Record<string, DiffMark>; fields?: Record<string, FieldChange[]> };
    /** Whether clicking an edge's label selects it (not on the read-only run views). */
    selectableEdges?: boolean;
  } = {},
): { nodes: CairnFlowNode[]; edges: CairnFlowEdge[] } {
  const problemsByNode = new Map<string, string[]>();
  const problemEdges = new Set<string>();
  for (const problem of options.problems ?? []) {
    if (problem.nodeId) problemsByNode.set(problem.nodeId, [...(problemsByNode.get(problem.nodeId) ?? []), problem.message]);
    if (problem.edgeId) problemEdges.add(problem.edgeId);
  }
  const selectedNodes = new Set(options.selection?.nodes ?? []);
  const selectedEdges = new Set(options.selection?.edges ?? []);
  const nodes: CairnFlowNode[] = graph.nodes.map((node) => {
    const diffFields = options.diff?.fields?.[node.id];
    const size = nodeSize(node, { diffLine: !!diffFields?.length });
    return {
      id: node.id,
      type: 'cairn',
      position: node.position,
      width: size.width,
      height: size.height,
      ariaLabel: nodeName(node),
      selected: selectedNodes.has(node.id),
      data: { node, problems: problemsByNode.get(node.id) ?? [], diff: options.diff?.nodes[node.id], ...(diffFields?.length ? { diffFields } : {}) },
    };
  });
  // One array for all edges: their labels keep clear of every node.
  const obstacles: Obstacle[] = nodes.map((node) => ({ x: node.position.x, y: node.position.y, width: node.width!, height: node.height! }));
  const edges = graph.edges.map((edge): CairnFlowEdge => {
    const mark = options.diff?.edges[edge.id];
    const classes = [problemEdges.has(edge.id) ? 'cairn-edge--problem' : '', mark ? `cairn-edge--${mark}` : ''].filter(Boolean).join(' ');
    return {
      id: edge.id,
      type: 'cairn',
      source: edge.source,
      sourceHandle: edge.sourcePort,
      target: edge.target,
      selected: selectedEdges.has(edge.id),
      // In the canvas's own units, so a thicker (selected, added, taken) edge keeps the same arrowhead.
      markerEnd: { type: MarkerType.ArrowClosed, width: 12, height: 12, markerUnits: 'userSpaceOnUse' },
      data: { label: PLAIN_PORTS.has(edge.sourcePort) ? undefined : edge.sourcePort, obstacles, labelClass: classes || undefined, selectable: options.selectableEdges ?? true },
      ...(classes ? { className: classes } : {}),
    };
  });
  return { nodes, edges };
}
