// The graph projected for React Flow (STYLE: the persisted graph is the model; the canvas shows a
// projection of it). Problems and diff marks ride along in node and edge data.
import type { Edge, Node } from '@xyflow/react';
import type { Graph, GraphNode } from '../../shared/graph/graph.schema.js';
import type { Problem } from '../../shared/validate.js';

export type DiffMark = 'added' | 'removed' | 'changed';

export interface CairnNodeData extends Record<string, unknown> {
  node: GraphNode;
  problems: string[];
  diff?: DiffMark;
}

export type CairnFlowNode = Node<CairnNodeData, 'cairn'>;

export function toFlow(
  graph: Graph,
  options: { problems?: readonly Problem[]; selection?: { nodes: readonly string[]; edges: readonly string[] }; diff?: { nodes: Record<string, DiffMark>; edges: Record<string, DiffMark> } } = {},
): { nodes: CairnFlowNode[]; edges: Edge[] } {
  const problemsByNode = new Map<string, string[]>();
  const problemEdges = new Set<string>();
  for (const problem of options.problems ?? []) {
    if (problem.nodeId) problemsByNode.set(problem.nodeId, [...(problemsByNode.get(problem.nodeId) ?? []), problem.message]);
    if (problem.edgeId) problemEdges.add(problem.edgeId);
  }
  const selectedNodes = new Set(options.selection?.nodes ?? []);
  const selectedEdges = new Set(options.selection?.edges ?? []);
  return {
    nodes: graph.nodes.map((node) => ({
      id: node.id,
      type: 'cairn',
      position: node.position,
      selected: selectedNodes.has(node.id),
      data: { node, problems: problemsByNode.get(node.id) ?? [], diff: options.diff?.nodes[node.id] },
    })),
    edges: graph.edges.map((edge) => {
      const mark = options.diff?.edges[edge.id];
      const classes = [problemEdges.has(edge.id) ? 'cairn-edge--problem' : '', mark ? `cairn-edge--${mark}` : ''].filter(Boolean).join(' ');
      return {
        id: edge.id,
        source: edge.source,
        sourceHandle: edge.sourcePort,
        target: edge.target,
        label: edge.sourcePort === 'next' || edge.sourcePort === 'ok' || edge.sourcePort === 'branches' ? undefined : edge.sourcePort,
        selected: selectedEdges.has(edge.id),
        ...(classes ? { className: classes } : {}),
      };
    }),
  };
}
