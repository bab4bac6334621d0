// The palette: every node kind of the registry, grouped and searchable, dragged onto the canvas.
import { useMemo, useState } from 'react';
import { nodeKindList } from '../../shared/nodes/registry.js';
import { CATEGORY_COLOURS } from './nodes/node-look.js';
import { NodeIcon } from './nodes/NodeIcon.js';

export const DRAG_TYPE = 'application/x-cairn-kind';

const CATEGORY_TITLES = { flow: 'Flow', action: 'Actions', wait: 'Waiting', human: 'People', ai: 'AI' } as const;

export function Palette({ disabled }: { disabled?: boolean }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const matching = nodeKindList.filter((kind) => !needle || `${kind.label} ${kind.kind} ${kind.description}`.toLowerCase().includes(needle));
    return (Object.keys(CATEGORY_TITLES) as (keyof typeof CATEGORY_TITLES)[])
      .map((category) => ({ category, kinds: matching.filter((kind) => kind.category === category) }))
      .filter((group) => group.kinds.length > 0);
  }, [query]);

  return (
    <aside className="cairn-palette" data-testid="palette">
      <input className="cairn-palette__search" placeholder="Search nodes" aria-label="Search node kinds" value={query} onChange={(event) => setQuery(event.target.value)} />
      {groups.map((group) => (
        <section key={group.category}>
          <h3>{CATEGORY_TITLES[group.category]}</h3>
          {group.kinds.map((kind) => (
            <div
              key={kind.kind}
              className="cairn-palette__item"
              data-testid={`palette-${kind.kind}`}
              draggable={!disabled}
              onDragStart={(event) => {
                event.dataTransfer.setData(DRAG_TYPE, kind.kind);
                event.dataTransfer.effectAllowed = 'move';
              }}
              title={kind.description}
              style={{ ['--kind-colour' as string]: CATEGORY_COLOURS[kind.category] }}
            >
              <span className="cairn-palette__icon">
                <NodeIcon name={kind.icon} />
              </span>
              <span>
                <strong>{kind.label}</strong>
                <small>{kind.description}</small>
              </span>
            </div>
          ))}
        </section>
      ))}
      {groups.length === 0 && <p className="cairn-muted">No node kind matches “{query}”.</p>}
    </aside>
  );
}
