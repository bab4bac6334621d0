// The React Flow canvas over the editor store. Node positions move locally while dragging and are
// committed to the store once, on drop (one undo step); every other edit goes through the store.
// The first view is planned (view-plan.ts) for the canvas's measured size before React Flow draws:
// legible, the start in view, no node cut at an edge. Ctrl/Cmd+K finds or adds a node.
import {
  applyNodeChanges,
  Background,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore as useFlowStore,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { snap, useAddAtCentre } from './add-node.js';
import type { EditorStore } from './editor.store.js';
import { FindOrAdd } from './FindOrAdd.js';
import { toFlow, type CairnFlowNode } from '../canvas/flow-projection.js';
import { connectionProblem } from './graph-ops.js';
import type { GraphDiff } from './graph-diff.js';
import { edgeTypes, MinimapShown } from '../canvas/CairnEdge.js';
import { nodeTypes } from '../canvas/CairnNode.js';
import { NODE_WIDTH } from '../canvas/node-size.js';
import { DRAG_TYPE } from './Palette.js';
import { FitViewIcon, planBoxes, startIds, useLegibleFit } from '../canvas/use-legible-fit.js';
import { fitsLegibly, minimapSize, panelRects, planView, type Viewport } from '../canvas/view-plan.js';

const GRID: [number, number] = [20, 20];
const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, index) => id === b[index]);

/**
 * The selection after React Flow's "select" changes, or undefined when there are none. Only the user
 * (a click, a box, the pane) makes these; new props never do. Syncing from onSelectionChange instead
 * echoed: it also reports selections the props set, and a canvas mounted with a selection (back from
 * a version view) flipped the store and React Flow between two selections until React gave up.
 */
function selectedAfter(current: readonly string[], changes: readonly (NodeChange | EdgeChange)[]): string[] | undefined {
  const picks = changes.filter((change) => change.type === 'select');
  if (picks.length === 0) return undefined;
  const selected = new Set(current);
  for (const pick of picks) {
    if (pick.selected) selected.add(pick.id);
    else selected.delete(pick.id);
  }
  return [...selected];
}

/** `overlay`: drawn inside the flow (the Tests panel's marks and "run to here" results). */
export function Canvas({ store, diff, overlay }: { store: EditorStore; diff?: GraphDiff; overlay?: ReactNode }) {
  const graph = useStore(store, (state) => state.graph);
  const selection = useStore(store, (state) => state.selection);
  const readOnly = useStore(store, (state) => state.readOnly);
  const problems = useMemo(() => store.getState().problems(), [store, graph]);
  const projected = useMemo(() => toFlow(diff ? diff.merged : graph, { problems, selection, diff }), [graph, problems, selection, diff]);
  const [nodes, setNodes] = useState<CairnFlowNode[]>(projected.nodes);
  useEffect(() => setNodes(projected.nodes), [projected.nodes]);
  const { screenToFlowPosition } = useReactFlow();
  const addAtCentre = useAddAtCentre(store);
  const fit = useLegibleFit();
  const [finding, setFinding] = useState(false);

  // The canvas's size first, then the first view planned for it (React Flow draws with it at once).
  const box = useRef<HTMLDivElement>(null);
  const [firstView, setFirstView] = useState<Viewport | null>(null);
  useLayoutEffect(() => {
    const rect = box.current?.getBoundingClientRect();
    const size = { width: rect?.width || 800, height: rect?.height || 500 };
    const boxes = planBoxes(projected.nodes, projected.edges);
    setFirstView(planView(boxes, size, { must: startIds(projected.nodes), avoid: panelRects(size, !fitsLegibly(boxes, size)) }).viewport);
    // Planned once, for the graph as it opened: later edits do not move the view.
  }, []);
  // A minimap to steer by whenever the graph does not fit the canvas at a legible zoom.
  const paneWidth = useFlowStore((state) => state.width);
  const paneHeight = useFlowStore((state) => state.height);
  const minimap = useMemo(() => paneWidth > 0 && !fitsLegibly(planBoxes(projected.nodes, projected.edges), { width: paneWidth, height: paneHeight }), [projected, paneWidth, paneHeight]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'k' || event.altKey || event.shiftKey) return;
      event.preventDefault();
      setFinding(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onNodesChange = useCallback(
    (changes: NodeChange<CairnFlowNode>[]) => {
      setNodes((current) => applyNodeChanges(changes, current));
      const { selection, select } = store.getState();
      const nodes = selectedAfter(selection.nodes, changes);
      if (nodes && !sameIds(nodes, selection.nodes)) select({ nodes, edges: selection.edges });
    },
    [store],
  );

  // What undo, a conflict or a removal took away is no longer selected (the canvas reports no change for it).
  useEffect(() => {
    const { selection, select } = store.getState();
    const nodeIds = new Set(graph.nodes.map((node) => node.id));
    const edgeIds = new Set(graph.edges.map((edge) => edge.id));
    const nodes = selection.nodes.filter((id) => nodeIds.has(id));
    const edges = selection.edges.filter((id) => edgeIds.has(id));
    if (nodes.length !== selection.nodes.length || edges.length !== selection.edges.length) select({ nodes, edges });
  }, [store, graph]);

  // Edges are the store's projection; only their selection comes back from the canvas.
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const { selection, select } = store.getState();
      const edges = selectedAfter(selection.edges, changes);
      if (edges && !sameIds(edges, selection.edges)) select({ nodes: selection.nodes, edges });
    },
    [store],
  );

  const onNodeDragStop = useCallback(
    (_event: unknown, _node: CairnFlowNode, dragged: CairnFlowNode[]) => {
      store.getState().moveNodes(Object.fromEntries(dragged.map((node) => [node.id, { x: snap(node.position.x), y: snap(node.position.y) }])));
    },
    [store],
  );

  const toEdge = (connection: Connection | Edge) => ({ source: connection.source, sourcePort: connection.sourceHandle ?? '', target: connection.target });
  const isValidConnection = useCallback((connection: Connection | Edge) => !connectionProblem(store.getState().graph, toEdge(connection)), [store]);
  const onConnect = useCallback((connection: Connection) => store.getState().connect(toEdge(connection)), [store]);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(DRAG_TYPE);
      if (!kind || store.getState().readOnly) return;
      event.preventDefault();
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      store.getState().addNode(kind, { x: snap(point.x - NODE_WIDTH / 2), y: snap(point.y - 30) });
    },
    [store, screenToFlowPosition],
  );

  return (
    <div ref={box} className="cairn-canvas" data-testid="canvas" onDragOver={(event) => event.preventDefault()} onDrop={onDrop}>
      {firstView && (
        <MinimapShown.Provider value={minimap}>
          <ReactFlow
            nodes={nodes}
            edges={projected.edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onNodeDragStop={onNodeDragStop}
            onConnect={onConnect}
            isValidConnection={isValidConnection}
            nodesDraggable={!readOnly}
            nodesConnectable={!readOnly}
            deleteKeyCode={null}
            multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
            snapToGrid
            snapGrid={GRID}
            defaultViewport={firstView}
            minZoom={0.1}
            proOptions={{ hideAttribution: true }}
            onlyRenderVisibleElements
          >
            <Background gap={GRID[0]} color="#d5d9e0" />
            {minimap && <MiniMap pannable zoomable className="cairn-minimap" style={minimapSize({ width: paneWidth, height: paneHeight })} ariaLabel="Minimap: drag to move the view" nodeColor="#c3c9d3" />}
            <Controls showInteractive={false} showFitView={false} orientation="horizontal">
              <ControlButton onClick={() => fit({ duration: 300 })} title="Fit view" aria-label="Fit the view">
                <FitViewIcon />
              </ControlButton>
            </Controls>
            {overlay}
          </ReactFlow>
        </MinimapShown.Provider>
      )}
      {finding && <FindOrAdd store={store} onClose={() => setFinding(false)} onAdd={addAtCentre} />}
    </div>
  );
}
