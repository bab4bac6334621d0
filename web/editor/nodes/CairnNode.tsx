// The one canvas node component: icon, label, a one-line summary and one labelled handle per output
// port, all read from the node-kind registry. Problems and diff marks come in the node's data.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { getNodeKind } from '../../../shared/nodes/registry.js';
import type { CairnFlowNode } from '../flow-projection.js';
import { CATEGORY_COLOURS, summary } from './node-look.js';
import { NodeIcon } from './NodeIcon.js';

function CairnNodeView({ data, selected }: NodeProps<CairnFlowNode>) {
  const { node, problems, diff } = data;
  const kind = getNodeKind(node.kind);
  const ports = kind?.ports ?? [];
  const colour = kind ? CATEGORY_COLOURS[kind.category] : '#dc2626';
  const classes = ['cairn-node', selected ? 'cairn-node--selected' : '', problems.length ? 'cairn-node--problem' : '', diff ? `cairn-node--${diff}` : ''].filter(Boolean).join(' ');
  return (
    <div className={classes} style={{ ['--kind-colour' as string]: colour }} data-testid={`node-${node.id}`} title={problems.join('\n') || undefined}>
      {node.kind !== 'start' && <Handle type="target" position={Position.Left} className="cairn-handle cairn-handle--in" />}
      <div className="cairn-node__head">
        <span className="cairn-node__icon">
          <NodeIcon name={kind?.icon ?? ''} size={14} />
        </span>
        <span className="cairn-node__title">{node.label || kind?.label || node.kind}</span>
        {problems.length > 0 && (
          <span className="cairn-node__badge" data-testid={`node-problems-${node.id}`}>
            {problems.length}
          </span>
        )}
        {diff && <span className={`cairn-node__diff cairn-node__diff--${diff}`}>{diff}</span>}
      </div>
      <div className="cairn-node__id">{node.id}</div>
      <div className="cairn-node__summary">{summary(node) || kind?.description}</div>
      {ports.length > 0 && (
        <div className="cairn-node__ports">
          {ports.map((port) => (
            <div key={port} className="cairn-node__port">
              <span>{port}</span>
              <Handle type="source" id={port} position={Position.Right} className="cairn-handle cairn-handle--out" data-testid={`handle-${node.id}-${port}`} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const CairnNode = memo(CairnNodeView);

/** At module scope, as React Flow asks: a new object per render would remount every node. */
export const nodeTypes = { cairn: CairnNode };
