// A workflow version drawn read-only with the editor's projection and node component, plus run marks:
// per node a state (visited, current — pulsing —, failed, not reached) and a badge (visits, waiting
// runs); per edge whether it was taken. Clicking a node selects it; the pane clears the selection.
// It opens as the editor does (view-plan.ts), with where the run went (or its start) in view and no
// node cut at an edge, legible unless the path needs a little less (FOCUS_MIN_ZOOM); a minimap when
// the graph does not fit and the box is tall enough for one.
import { Background, ControlButton, Controls, MiniMap, ReactFlow, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Graph } from '../../shared/graph/graph.schema.js';
import '../canvas/canvas.css';
import { toFlow, type CairnFlowNode, type CairnNodeData } from '../canvas/flow-projection.js';
import { edgeTypes, MinimapShown, type CairnFlowEdge } from '../canvas/CairnEdge.js';
import { CairnNode } from '../canvas/CairnNode.js';
import { FitViewIcon, planBoxes, startIds, useLegibleFit } from '../canvas/use-legible-fit.js';
import { fitsLegibly, minimapSize, panelRects, planView, type Viewport } from '../canvas/view-plan.js';
import type { NodeRunState } from './run-path.js';
import './run-graph.css';

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

/** Below this height a minimap would cover too much of the graph (a drain card): the view is planned without. */
const MINIMAP_MIN_HEIGHT = 360;
/**
 * A run's whole path (or every node runs wait at) stays in view down to this zoom, below the legible
 * 0.75: where a run went is what this canvas is for. A longer path shows its last node legibly.
 */
const FOCUS_MIN_ZOOM = 0.6;

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
    const flow = toFlow(graph, { selection: { nodes: selected ? [selected] : [], edges: [] }, selectableEdges: false });
    const marked: RunFlowNode[] = flow.nodes.map((node) => ({ ...node, data: { ...node.data, mark: nodeMarks[node.id] } }));
    const lines: CairnFlowEdge[] = flow.edges.map((edge) => {
      const mark = edgeMarks[edge.id];
      const className = [edge.className, mark ? `cairn-run-edge--${mark}` : dimUnmarked ? 'cairn-run-edge--idle' : ''].filter(Boolean).join(' ');
      return { ...edge, className, data: { ...edge.data, labelClass: className }, animated: mark === 'active', zIndex: mark ? 1 : 0 };
    });
    return { nodes: marked, edges: lines };
  }, [graph, nodeMarks, edgeMarks, dimUnmarked, selected]);

  // The box is measured first, so that the first view can be planned for it (later changes of the
  // run do not move the view the user may have panned).
  const box = useRef<HTMLDivElement>(null);
  const [first, setFirst] = useState<{ viewport: Viewport; minimap: boolean; size: { width: number; height: number } } | null>(null);
  const initial = useRef({ nodes, edges, focus });
  useLayoutEffect(() => {
    const rect = box.current?.getBoundingClientRect();
    const size = { width: rect?.width || 800, height: rect?.height || 500 };
    const boxes = planBoxes(initial.current.nodes, initial.current.edges);
    const minimap = size.height >= MINIMAP_MIN_HEIGHT && !fitsLegibly(boxes, size);
    const must = initial.current.focus.length ? initial.current.focus : startIds(initial.current.nodes);
    setFirst({ viewport: planView(boxes, size, { must, minZoom: FOCUS_MIN_ZOOM, avoid: panelRects(size, minimap) }).viewport, minimap, size });
  }, []);

  return (
    <div ref={box} className={`cairn-run-graph${dimUnmarked ? ' cairn-run-graph--dim' : ''}`} data-testid={testId}>
      {first && (
        <MinimapShown.Provider value={first.minimap}>
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={runNodeTypes}
            edgeTypes={edgeTypes}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            edgesFocusable={false}
            onNodeClick={(_event, node) => onSelect?.(node.id === selected ? null : node.id)}
            onPaneClick={() => onSelect?.(null)}
            defaultViewport={first.viewport}
            minZoom={0.1}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={20} color="#d5d9e0" />
            {first.minimap && <MiniMap pannable zoomable className="cairn-minimap" style={minimapSize(first.size)} ariaLabel="Minimap: drag to move the view" nodeColor="#c3c9d3" />}
            <RunControls focus={focus} />
          </ReactFlow>
        </MinimapShown.Provider>
      )}
    </div>
  );
}

/** Zoom buttons and a Fit view that keeps where the run is in view. */
function RunControls({ focus }: { focus: readonly string[] }) {
  const fit = useLegibleFit();
  return (
    <Controls showInteractive={false} showFitView={false} orientation="horizontal">
      <ControlButton onClick={() => fit({ duration: 300, focus, minZoom: FOCUS_MIN_ZOOM })} title="Fit view" aria-label="Fit the view">
        <FitViewIcon />
      </ControlButton>
    </Controls>
  );
}
