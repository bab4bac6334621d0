// Fit view that stays legible: the whole graph when it fits at a legible zoom, otherwise the selection
// (or the start) and as much around it as fits, at a legible zoom, with no node cut at an edge — the
// minimap then shows the rest. The editor's toolbar, the canvas's controls and the run views use it.
import { useReactFlow, useStoreApi, type Edge, type Node } from '@xyflow/react';
import { useCallback } from 'react';
import type { CairnNodeData } from './flow-projection.js';
import { bezier, labelBox, labelPoint, type CairnEdgeData } from './CairnEdge.js';
import { inputPoint, outputPoint } from './node-size.js';
import { fitsLegibly, panelRects, planView, type Box } from './view-plan.js';

/** Boxes of React Flow nodes: their set size (every Cairn node has one), else their measured one. */
export function flowBoxes(nodes: readonly Node[]): Box[] {
  return nodes.map((node) => ({ id: node.id, x: node.position.x, y: node.position.y, width: node.width ?? node.measured?.width ?? 200, height: node.height ?? node.measured?.height ?? 100 }));
}

/**
 * Where each edge label will be drawn (as CairnEdge places it, from the handles' known places): the
 * plan keeps labels whole too, so none is cut at the canvas's edge.
 */
export function labelBoxes(nodes: readonly Node[], edges: readonly Edge[]): Box[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const boxes: Box[] = [];
  for (const edge of edges) {
    const data = edge.data as CairnEdgeData | undefined;
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    const graphNode = (node: Node) => ({ ...(node.data as CairnNodeData).node, position: node.position });
    if (!data?.label || !source || !target || !(source.data as CairnNodeData).node) continue;
    const from = outputPoint(graphNode(source), edge.sourceHandle ?? '', { diffLine: !!(source.data as CairnNodeData).diffFields?.length });
    const to = inputPoint(graphNode(target), { diffLine: !!(target.data as CairnNodeData).diffFields?.length });
    const size = labelBox(data.label);
    const point = labelPoint(bezier(from.x, from.y, to.x, to.y).at, size, data.obstacles ?? []);
    boxes.push({ id: `label:${edge.id}`, x: point.x - size.width / 2, y: point.y - size.height / 2, width: size.width, height: size.height, minor: true });
  }
  return boxes;
}

/** What a view plan places: the nodes, and the edge labels. */
export const planBoxes = (nodes: readonly Node[], edges: readonly Edge[]) => [...flowBoxes(nodes), ...labelBoxes(nodes, edges)];

/** The start node(s) of a projected graph: what a first view shows. */
export const startIds = (nodes: readonly Node[]) => nodes.filter((node) => (node.data as { node?: { kind?: string } }).node?.kind === 'start').map((node) => node.id);

/**
 * Fits the canvas's view; `focus` (default: the selection, else the start) stays in view. `positions`
 * are nodes' new places not drawn yet (auto-layout fits the layout it has just made).
 */
export function useLegibleFit(): (options?: { duration?: number; focus?: readonly string[]; minZoom?: number; positions?: Record<string, { x: number; y: number }> }) => void {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback(
    (options = {}) => {
      const { width, height } = store.getState();
      if (!width || !height) return;
      const nodes = flow.getNodes().map((node) => (options.positions?.[node.id] ? { ...node, position: options.positions[node.id] } : node));
      const boxes = planBoxes(nodes, flow.getEdges());
      const selected = nodes.filter((node) => node.selected).map((node) => node.id);
      const must = options.focus?.length ? options.focus : selected.length ? selected : startIds(nodes);
      const size = { width, height };
      const plan = planView(boxes, size, { must, minZoom: options.minZoom, avoid: panelRects(size, !fitsLegibly(boxes, size)) });
      void flow.setViewport(plan.viewport, { duration: options.duration ?? 0 });
    },
    [flow, store],
  );
}

/** React Flow's own fit-view glyph, for the canvas controls' button. */
export function FitViewIcon() {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
      <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
    </svg>
  );
}
