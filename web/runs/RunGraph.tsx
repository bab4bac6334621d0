// A workflow version drawn read-only with the editor's projection and node component, plus run marks:
// per node a state (visited, current — pulsing —, failed, not reached) and a badge (visits, waiting
// runs); per edge whether it was taken. Clicking a node selects it; the pane clears the selection.
import { Background, Controls, ReactFlow, type Edge, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Graph } from '../../shared/graph/graph.schema.js';
import '../editor/editor.css';
import { toFlow, type CairnFlowNode, type CairnNodeData } from '../editor/flow-projection.js';
import { CairnNode } from '../editor/nodes/CairnNode.js';
import type { NodeRunState } from './run-path.js';
import './runs.css';

export interface NodeMark {
  state?: NodeRunState;
  /** A count drawn on the node's corner (visits, runs waiting there). */
  badge?: number;
  badgeTitle?: string;
  compensated?: 'ok' | 'failed';
}

export type EdgeMark = 'taken' | 'active';

interface RunNodeData extends CairnNodeData {
  mark?: NodeMark;
}
type RunFlowNode = Omit<CairnFlowNode, 'data'> & { data: RunNodeData };

function RunNodeView(props: NodeProps<RunFlowNode>) {
  const mark = props.data.mark;
  const classes = ['cairn-run-node', `cairn-run-node--${mark?.state ?? 'plain'}`, mark?.compensated ? `cairn-run-node--compensated-${mark.compensated}` : ''].filter(Boolean).join(' ');
  return (
    <div className={classes} data-testid={`run-node-${props.id}`} data-run-state={mark?.state}>
      <CairnNode {...(props as unknown as NodeProps<CairnFlowNode>)} />
      {mark?.badge !== undefined && (
        <span className="cairn-run-node__badge" title={mark.badgeTitle} data-testid={`run-node-badge-${props.id}`}>
          {mark.badge}
        </span>
      )}
      {mark?.compensated && <span className="cairn-run-node__tag">{mark.compensated === 'ok' ? 'compensated' : 'compensation failed'}</span>}
    </div>
  );
}

/** At module scope, as React Flow asks. */
const runNodeTypes = { cairn: memo(RunNodeView) };

/** Below this zoom node labels cannot be read: centre on the focus nodes instead of showing it all. */
const READABLE_ZOOM = 0.5;
/** A canvas node's usual size, to estimate the graph's extent before React Flow measures it. */
const NODE_BOX = { width: 240, height: 110 };

/**
 * How to fit the graph in a box of `size`: all of it, unless that would be too small to read (a long
 * workflow on a narrow card) — then the focus nodes (where the run is) at a readable zoom.
 */
function fitOptions(graph: Graph, size: { width: number; height: number }, focus: readonly string[]) {
  const all = { padding: 0.15, maxZoom: 1.1 };
  if (focus.length === 0 || graph.nodes.length === 0) return all;
  const xs = graph.nodes.map((node) => node.position.x);
  const ys = graph.nodes.map((node) => node.position.y);
  const width = Math.max(...xs) - Math.min(...xs) + NODE_BOX.width;
  const height = Math.max(...ys) - Math.min(...ys) + NODE_BOX.height;
  const zoom = Math.min(size.width / (width * 1.3), size.height / (height * 1.3));
  return zoom >= READABLE_ZOOM ? all : { nodes: focus.map((id) => ({ id })), padding: all.padding, minZoom: READABLE_ZOOM, maxZoom: READABLE_ZOOM + 0.25 };
}

export interface RunGraphProps {
  graph: Graph;
  nodeMarks?: Record<string, NodeMark>;
  edgeMarks?: Record<string, EdgeMark>;
  /** Dim what has no mark (the run never went there). */
  dimUnmarked?: boolean;
  selected?: string | null;
  onSelect?(nodeId: string | null): void;
  /** Where to look first when the whole graph is too wide to read. */
  focus?: readonly string[];
  testId?: string;
}

export function RunGraph({ graph, nodeMarks = {}, edgeMarks = {}, dimUnmarked = false, selected, onSelect, focus = [], testId }: RunGraphProps) {
  const { nodes, edges } = useMemo(() => {
    const flow = toFlow(graph, { selection: { nodes: selected ? [selected] : [], edges: [] } });
    const marked: RunFlowNode[] = flow.nodes.map((node) => ({ ...node, data: { ...node.data, mark: nodeMarks[node.id] } }));
    const lines: Edge[] = flow.edges.map((edge) => {
      const mark = edgeMarks[edge.id];
      const className = [edge.className, mark ? `cairn-run-edge--${mark}` : dimUnmarked ? 'cairn-run-edge--idle' : ''].filter(Boolean).join(' ');
      return { ...edge, className, animated: mark === 'active', zIndex: mark ? 1 : 0 };
    });
    return { nodes: marked, edges: lines };
  }, [graph, nodeMarks, edgeMarks, dimUnmarked, selected]);

  // The box is measured first, so that the one fit React Flow does on load can be chosen for it
  // (later changes of the run do not move the view the user may have panned).
  const box = useRef<HTMLDivElement>(null);
  const [fitViewOptions, setFitViewOptions] = useState<ReturnType<typeof fitOptions> | null>(null);
  const initial = useRef({ graph, focus });
  useLayoutEffect(() => {
    const rect = box.current?.getBoundingClientRect();
    setFitViewOptions(fitOptions(initial.current.graph, { width: rect?.width ?? 800, height: rect?.height ?? 500 }, initial.current.focus));
  }, []);

  return (
    <div ref={box} className={`cairn-run-graph${dimUnmarked ? ' cairn-run-graph--dim' : ''}`} data-testid={testId}>
      {fitViewOptions && (
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={runNodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          edgesFocusable={false}
          onNodeClick={(_event, node) => onSelect?.(node.id === selected ? null : node.id)}
          onPaneClick={() => onSelect?.(null)}
          fitView
          fitViewOptions={fitViewOptions}
          minZoom={0.1}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={20} />
          <Controls showInteractive={false} />
        </ReactFlow>
      )}
    </div>
  );
}
