// The canvas edge: a bezier from an output port to a node's input, with an arrowhead, and its port's
// name as a label on the line. The label is drawn above the nodes (editor.css), so no node can hide
// it, and is put at the point of the line nearest its middle where it covers no node and is wholly in
// view (it slides along the line when the line runs out of view).
import { BaseEdge, EdgeLabelRenderer, useStore, useStoreApi, type Edge, type EdgeProps, type ReactFlowState } from '@xyflow/react';
import { createContext, memo, useCallback, useContext, useMemo } from 'react';
import { panelRects } from './view-plan.js';

export interface Obstacle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CairnEdgeData extends Record<string, unknown> {
  label?: string;
  /** Every node's box on the canvas (one array shared by all edges of a graph). */
  obstacles?: readonly Obstacle[];
  /** Classes for the label too (run marks, diff marks), which lives outside the edge's own element. */
  labelClass?: string;
  /** Clicking the label selects the edge (off on read-only run views). */
  selectable?: boolean;
}

export type CairnFlowEdge = Edge<CairnEdgeData, 'cairn'>;

/** React Flow's bezier control offset (getBezierPath, curvature 0.25), so the line is the one it would draw. */
const controlOffset = (distance: number) => (distance >= 0 ? 0.5 * distance : 0.25 * 25 * Math.sqrt(-distance));

export function bezier(sx: number, sy: number, tx: number, ty: number) {
  const c1x = sx + controlOffset(tx - sx);
  const c2x = tx - controlOffset(tx - sx);
  const at = (t: number) => {
    const u = 1 - t;
    return {
      x: u * u * u * sx + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t * t * t * tx,
      y: u * u * u * sy + 3 * u * u * t * sy + 3 * u * t * t * ty + t * t * t * ty,
    };
  };
  return { path: `M${sx},${sy} C${c1x},${sy} ${c2x},${ty} ${tx},${ty}`, at };
}

/** About how big the label draws (10 px text, 4 px padding, 1 px border: editor.css), in flow px. */
export const labelBox = (text: string) => ({ width: text.length * 6.1 + 10, height: 16 });

/** Places along the line to try, nearest its middle first. */
const ALONG = [0.5, ...Array.from({ length: 10 }, (_, index) => [0.5 - (index + 1) * 0.04, 0.5 + (index + 1) * 0.04]).flat()];

interface Area {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Whether the canvas shows its minimap: labels keep clear of it and of the controls (view-plan.ts's panels). */
export const MinimapShown = createContext(false);

/** labelAlong's answer when the label cannot be shown whole and clear where its line is in view. */
export const OUT_OF_VIEW = -2;

/**
 * Where on the line a label of `size` goes (as a fraction of the line): nearest the middle where it
 * covers no obstacle and lies wholly in `view` (what the canvas shows, in flow px), so it slides
 * along its edge to stay readable when the edge runs out of view or under the minimap or controls
 * (`panels`). If there is no such place: a line wholly in view keeps its label in view over a node
 * (nodes too close together; the label is drawn above them); any other line that shows gets
 * OUT_OF_VIEW — the label is not drawn, rather than cut at the canvas's edge (half a word reads as
 * another word), hidden under a panel or laid over a node's ports.
 */
export function labelAlong(at: (t: number) => { x: number; y: number }, size: { width: number; height: number }, obstacles: readonly Obstacle[], view?: Area, panels: readonly Area[] = []): number {
  const margin = 1;
  let inView: number | undefined;
  let clear: number | undefined;
  for (const t of ALONG) {
    const point = at(t);
    const box = { left: point.x - size.width / 2, top: point.y - size.height / 2, right: point.x + size.width / 2, bottom: point.y + size.height / 2 };
    const isClear = !obstacles.some((other) => box.left - margin < other.x + other.width && other.x < box.right + margin && box.top - margin < other.y + other.height && other.y < box.bottom + margin);
    const isInView =
      !view ||
      (box.left >= view.left + 2 && box.right <= view.right - 2 && box.top >= view.top + 2 && box.bottom <= view.bottom - 2 && !panels.some((panel) => box.left < panel.right && panel.left < box.right && box.top < panel.bottom && panel.top < box.bottom));
    if (isClear && isInView) return t;
    if (isInView) inView ??= t;
    if (isClear) clear ??= t;
  }
  if (!view) return clear ?? 0.5;
  const within = (point: { x: number; y: number }) => point.x >= view.left && point.x <= view.right && point.y >= view.top && point.y <= view.bottom;
  const [start, end] = [at(0), at(1)];
  if (within(start) && within(end) && inView !== undefined) return inView;
  if (within(start) || within(end) || ALONG.some((t) => within(at(t)))) return OUT_OF_VIEW;
  return clear ?? 0.5;
}

/** The label's centre with no view to keep to (what the view planner expects). */
export const labelPoint = (at: (t: number) => { x: number; y: number }, size: { width: number; height: number }, obstacles: readonly Obstacle[]) => at(labelAlong(at, size, obstacles));

function CairnEdgeView({ id, sourceX, sourceY, targetX, targetY, data, selected, markerEnd, style, interactionWidth }: EdgeProps<CairnFlowEdge>) {
  const store = useStoreApi();
  const line = useMemo(() => bezier(sourceX, sourceY, targetX, targetY), [sourceX, sourceY, targetX, targetY]);
  const label = data?.label;
  const obstacles = data?.obstacles;
  const minimap = useContext(MinimapShown);
  // Only the chosen place is read from the store, so panning re-renders a label only when it slides.
  const along = useStore(
    useCallback(
      (state: ReactFlowState) => {
        if (!label) return -1;
        const [x, y, zoom] = state.transform;
        const view = state.width ? { left: -x / zoom, top: -y / zoom, right: (state.width - x) / zoom, bottom: (state.height - y) / zoom } : undefined;
        const toFlow = (rect: Area) => ({ left: (rect.left - x) / zoom, top: (rect.top - y) / zoom, right: (rect.right - x) / zoom, bottom: (rect.bottom - y) / zoom });
        const panels = view ? panelRects({ width: state.width, height: state.height }, minimap).map(toFlow) : [];
        return labelAlong(line.at, labelBox(label), obstacles ?? [], view, panels);
      },
      [line, label, obstacles, minimap],
    ),
  );
  const point = along >= 0 ? line.at(along) : undefined;
  if (along === OUT_OF_VIEW) return <BaseEdge id={id} path={line.path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth ?? 16} />;
  return (
    <>
      <BaseEdge id={id} path={line.path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth ?? 16} />
      {label && point && (
        <EdgeLabelRenderer>
          <div
            className={['cairn-edge-label', 'nodrag', 'nopan', selected ? 'cairn-edge-label--selected' : '', data?.labelClass ?? ''].filter(Boolean).join(' ')}
            data-edge={id}
            data-testid={`edge-label-${id}`}
            style={{ transform: `translate(-50%, -50%) translate(${point.x}px, ${point.y}px)` }}
            onClick={data?.selectable ? () => store.getState().addSelectedEdges([id]) : undefined}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const CairnEdge = memo(CairnEdgeView);

/** At module scope, as React Flow asks. */
export const edgeTypes = { cairn: CairnEdge };
