// A canvas node's size, known before it is drawn: one width, and a height from its rows (editor.css
// gives each row this height). The first view is planned, edge labels are placed and auto-layout
// spaces nodes from these numbers, so none of them waits for React Flow to measure a node — with
// onlyRenderVisibleElements the nodes out of view are never measured.
import type { GraphNode } from '../../shared/graph/graph.schema.js';
import { getNodeKind } from '../../shared/nodes/registry.js';

export const NODE_WIDTH = 200;

/** Row heights in px; editor.css uses the same numbers (.cairn-node__head, __id, __summary, …). */
export const ROWS = {
  border: 4, // 3 px kind colour on top, 1 px below
  head: 36, // a title of up to two lines
  id: 15,
  summary: 21,
  diff: 18,
  portsPadding: 7, // a 1 px rule and 3 px above and below the port rows
  port: 19,
} as const;

export interface NodeSize {
  width: number;
  height: number;
}

export function nodeSize(node: Pick<GraphNode, 'kind'>, options: { diffLine?: boolean } = {}): NodeSize {
  const ports = getNodeKind(node.kind)?.ports.length ?? 0;
  const height = ROWS.border + ROWS.head + ROWS.id + ROWS.summary + (options.diffLine ? ROWS.diff : 0) + (ports ? ROWS.portsPadding + ports * ROWS.port : 0);
  return { width: NODE_WIDTH, height };
}

/** Where an output port's handle meets its edge (React Flow's sourceX/Y), from the node's position. */
export function outputPoint(node: Pick<GraphNode, 'kind' | 'position'>, port: string, options: { diffLine?: boolean } = {}): { x: number; y: number } {
  const index = Math.max(0, getNodeKind(node.kind)?.ports.indexOf(port) ?? 0);
  const top = ROWS.border - 1 + ROWS.head + ROWS.id + ROWS.summary + (options.diffLine ? ROWS.diff : 0) + (ROWS.portsPadding - 3) + index * ROWS.port + ROWS.port / 2;
  return { x: node.position.x + NODE_WIDTH + 6, y: node.position.y + top };
}

/** Where an edge meets a node's input handle (left side, half-way down). */
export function inputPoint(node: Pick<GraphNode, 'kind' | 'position'>, options: { diffLine?: boolean } = {}): { x: number; y: number } {
  return { x: node.position.x - 6, y: node.position.y + nodeSize(node, options).height / 2 };
}
