// The React Flow canvas over the editor store. Node positions move locally while dragging and are
// committed to the store once, on drop (one undo step); every other edit goes through the store.
import { applyNodeChanges, Background, Controls, MiniMap, ReactFlow, useReactFlow, type Connection, type Edge, type EdgeChange, type NodeChange } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import { useStore } from 'zustand';
import type { EditorStore } from './editor.store.js';
import { toFlow, type CairnFlowNode } from './flow-projection.js';
import { connectionProblem } from './graph-ops.js';
import type { GraphDiff } from './graph-diff.js';
import { nodeTypes } from './nodes/CairnNode.js';
import { DRAG_TYPE } from './Palette.js';

const GRID: [number, number] = [20, 20];
const snap = (value: number) => Math.round(value / GRID[0]) * GRID[0];
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

export function Canvas({ store, diff }: { store: EditorStore; diff?: GraphDiff }) {
  const graph = useStore(store, (state) => state.graph);
  const selection = useStore(store, (state) => state.selection);
  const readOnly = useStore(store, (state) => state.readOnly);
  const problems = useMemo(() => store.getState().problems(), [store, graph]);
  const projected = useMemo(() => toFlow(diff ? diff.merged : graph, { problems, selection, diff }), [graph, problems, selection, diff]);
  const [nodes, setNodes] = useState<CairnFlowNode[]>(projected.nodes);
  useEffect(() => setNodes(projected.nodes), [projected.nodes]);
  const { screenToFlowPosition } = useReactFlow();

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
      store.getState().addNode(kind, { x: snap(point.x - 100), y: snap(point.y - 30) });
    },
    [store, screenToFlowPosition],
  );

  return (
    <div className="cairn-canvas" data-testid="canvas" onDragOver={(event) => event.preventDefault()} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={projected.edges}
        nodeTypes={nodeTypes}
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
        fitView
        // A big graph opens legible at its start rather than fitted into illegibility; pan from there.
        fitViewOptions={{ padding: 0.2, maxZoom: 1.2, minZoom: 0.5 }}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
        onlyRenderVisibleElements
      >
        <Background gap={GRID[0]} />
        <MiniMap pannable zoomable className="cairn-minimap" />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
