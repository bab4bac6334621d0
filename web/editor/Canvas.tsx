// The React Flow canvas over the editor store. Node positions move locally while dragging and are
// committed to the store once, on drop (one undo step); every other edit goes through the store.
import { applyNodeChanges, Background, Controls, MiniMap, ReactFlow, useReactFlow, type Connection, type Edge, type NodeChange, type OnSelectionChangeParams } from '@xyflow/react';
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

export function Canvas({ store, diff }: { store: EditorStore; diff?: GraphDiff }) {
  const graph = useStore(store, (state) => state.graph);
  const selection = useStore(store, (state) => state.selection);
  const readOnly = useStore(store, (state) => state.readOnly);
  const problems = useMemo(() => store.getState().problems(), [store, graph]);
  const projected = useMemo(() => toFlow(diff ? diff.merged : graph, { problems, selection, diff }), [graph, problems, selection, diff]);
  const [nodes, setNodes] = useState<CairnFlowNode[]>(projected.nodes);
  useEffect(() => setNodes(projected.nodes), [projected.nodes]);
  const { screenToFlowPosition } = useReactFlow();

  const onNodesChange = useCallback((changes: NodeChange<CairnFlowNode>[]) => setNodes((current) => applyNodeChanges(changes, current)), []);

  const onSelectionChange = useCallback(
    ({ nodes: picked, edges: pickedEdges }: OnSelectionChangeParams) => {
      const next = { nodes: picked.map((node) => node.id), edges: pickedEdges.map((edge) => edge.id) };
      const current = store.getState().selection;
      if (!sameIds(current.nodes, next.nodes) || !sameIds(current.edges, next.edges)) store.getState().select(next);
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
        onSelectionChange={onSelectionChange}
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
        fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
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
