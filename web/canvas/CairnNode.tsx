// The one canvas node component: icon, label, a one-line summary and one labelled handle per output
// port, all read from the node-kind registry. Problems and diff marks come in the node's data. Its
// rows have fixed heights (node-size.ts), and its handles have names a screen reader can say.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, type KeyboardEvent } from 'react';
import { getNodeKind } from '../../shared/nodes/registry.js';
import type { CairnFlowNode } from './flow-projection.js';
import { fieldName, formatDiffValue } from '../editor/graph-diff.js';
import { CATEGORY_COLOURS, summary } from './node-look.js';
import { NodeIcon } from './NodeIcon.js';
import './canvas.css';

/** Enter or Space on a focused handle clicks it: React Flow connects two clicked handles. */
function clickOnEnter(event: KeyboardEvent<HTMLDivElement>) {
  if (event.key !== 'Enter' && event.key !== ' ') return;
  event.preventDefault();
  event.stopPropagation();
  event.currentTarget.click();
}

function CairnNodeView({ data, selected, isConnectable }: NodeProps<CairnFlowNode>) {
  const { node, problems, diff, diffFields } = data;
  const kind = getNodeKind(node.kind);
  const ports = kind?.ports ?? [];
  const colour = kind ? CATEGORY_COLOURS[kind.category] : '#dc2626';
  const title = node.label || kind?.label || node.kind;
  const classes = ['cairn-node', selected ? 'cairn-node--selected' : '', problems.length ? 'cairn-node--problem' : '', diff ? `cairn-node--${diff}` : ''].filter(Boolean).join(' ');
  const handleProps = (name: string) => ({ role: 'button', 'aria-label': name, title: name, tabIndex: isConnectable ? 0 : -1, onKeyDown: isConnectable ? clickOnEnter : undefined });
  const changed = diffFields?.map((change) => `${fieldName(change.path)}: ${formatDiffValue(change.before, 40)} → ${formatDiffValue(change.after, 40)}`);
  return (
    <div className={classes} style={{ ['--kind-colour' as string]: colour }} data-testid={`node-${node.id}`} title={problems.join('\n') || undefined}>
      {node.kind !== 'start' && <Handle type="target" position={Position.Left} className="cairn-handle cairn-handle--in" {...handleProps(`Input of ${title}`)} />}
      <div className="cairn-node__head">
        <span className="cairn-node__icon">
          <NodeIcon name={kind?.icon ?? ''} size={15} />
        </span>
        <span className="cairn-node__title" title={title}>
          {title}
        </span>
        {problems.length > 0 && (
          <span className="cairn-node__badge" data-testid={`node-problems-${node.id}`} aria-label={`${problems.length} problem${problems.length === 1 ? '' : 's'}`}>
            {problems.length}
          </span>
        )}
        {diff && <span className={`cairn-node__diff cairn-node__diff--${diff}`}>{diff}</span>}
      </div>
      <div className="cairn-node__id">{node.id}</div>
      <div className="cairn-node__summary">{summary(node) || kind?.description}</div>
      {changed && (
        <div className="cairn-node__changes" data-testid={`node-changes-${node.id}`} title={changed.join('\n')}>
          {diffFields!.map((change) => fieldName(change.path)).join(', ')}
        </div>
      )}
      {ports.length > 0 && (
        <div className="cairn-node__ports">
          {ports.map((port) => (
            <div key={port} className="cairn-node__port">
              <span>{port}</span>
              <Handle
                type="source"
                id={port}
                position={Position.Right}
                className="cairn-handle cairn-handle--out"
                data-testid={`handle-${node.id}-${port}`}
                {...handleProps(`Output ${port} of ${title}`)}
              />
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
