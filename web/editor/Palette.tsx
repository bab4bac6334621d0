// The palette: every node kind of the registry, grouped and searchable, then the team's own actions
// (CAIRN_ACTIONS_DIR) as "Team actions". A click (or Enter / Space on a focused item) adds the kind —
// or a step set to that action — at the centre of the canvas's view; dragging places a kind where dropped.
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { nodeKindList } from '../../shared/nodes/registry.js';
import type { ActionDescription } from '../../shared/runs/actions.js';
import { useTRPC } from '../app/trpc.js';
import { useAddAtCentre } from './add-node.js';
import type { EditorStore } from './editor.store.js';
import { CATEGORY_COLOURS } from '../canvas/node-look.js';
import { NodeIcon } from '../canvas/NodeIcon.js';

export const DRAG_TYPE = 'application/x-cairn-kind';

const CATEGORY_TITLES = { flow: 'Flow', action: 'Actions', wait: 'Waiting', human: 'People', ai: 'AI' } as const;

export function Palette({ store, disabled }: { store: EditorStore; disabled?: boolean }) {
  const [query, setQuery] = useState('');
  const add = useAddAtCentre(store);
  const groups = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const matching = nodeKindList.filter((kind) => !needle || `${kind.label} ${kind.kind} ${kind.description}`.toLowerCase().includes(needle));
    return (Object.keys(CATEGORY_TITLES) as (keyof typeof CATEGORY_TITLES)[])
      .map((category) => ({ category, kinds: matching.filter((kind) => kind.category === category) }))
      .filter((group) => group.kinds.length > 0);
  }, [query]);
  const onKeyDown = (kind: string) => (event: KeyboardEvent) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    if (!disabled) add(kind);
  };
  const trpc = useTRPC();
  const described = useQuery(trpc.actions.queryOptions()).data as ActionDescription[] | undefined;
  const teamActions = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return (described ?? []).filter((action) => action.module && (!needle || `${action.title ?? ''} ${action.name} ${action.description}`.toLowerCase().includes(needle)));
  }, [described, query]);
  /** A step set to the action, named by its title: one undo step (the setting rides on the add). */
  const addAction = (action: ActionDescription) => {
    if (disabled) return;
    const id = add('step');
    if (!id) return;
    const node = store.getState().graph.nodes.find((entry) => entry.id === id)!;
    store.temporal.getState().pause();
    store.getState().updateNode(id, { label: action.title ?? action.name, config: { ...node.config, action: action.name, input: {} } }, { separate: true });
    store.temporal.getState().resume();
  };

  return (
    <aside className="cairn-palette" data-testid="palette" aria-label="Node kinds">
      <input className="cairn-palette__search" type="search" placeholder="Search nodes" aria-label="Search node kinds" value={query} onChange={(event) => setQuery(event.target.value)} />
      {groups.map((group) => (
        <section key={group.category} aria-label={CATEGORY_TITLES[group.category]}>
          <h3>{CATEGORY_TITLES[group.category]}</h3>
          {group.kinds.map((kind) => (
            <div
              key={kind.kind}
              role="button"
              tabIndex={disabled ? -1 : 0}
              aria-label={`Add ${kind.label}`}
              aria-description={kind.description}
              aria-disabled={disabled || undefined}
              className="cairn-palette__item"
              data-testid={`palette-${kind.kind}`}
              draggable={!disabled}
              onDragStart={(event) => {
                event.dataTransfer.setData(DRAG_TYPE, kind.kind);
                event.dataTransfer.effectAllowed = 'move';
              }}
              onClick={() => !disabled && add(kind.kind)}
              onKeyDown={onKeyDown(kind.kind)}
              title={`${kind.description}\nClick to add it to the middle of the canvas, or drag it where it goes.`}
              style={{ ['--kind-colour' as string]: CATEGORY_COLOURS[kind.category] }}
            >
              <span className="cairn-palette__icon">
                <NodeIcon name={kind.icon} size={15} />
              </span>
              <span>{kind.label}</span>
            </div>
          ))}
        </section>
      ))}
      {teamActions.length > 0 && (
        <section aria-label="Team actions" data-testid="palette-team-actions">
          <h3>Team actions</h3>
          {teamActions.map((action) => (
            <div
              key={action.name}
              role="button"
              tabIndex={disabled ? -1 : 0}
              aria-label={`Add ${action.title ?? action.name}`}
              aria-description={action.description}
              aria-disabled={disabled || undefined}
              className="cairn-palette__item"
              data-testid={`palette-action-${action.name}`}
              onClick={() => addAction(action)}
              onKeyDown={(event) => {
                if (event.key !== 'Enter' && event.key !== ' ') return;
                event.preventDefault();
                addAction(action);
              }}
              title={`${action.description}\n${action.name}, from ${action.module!.file}. Click to add a step that runs it.`}
              style={{ ['--kind-colour' as string]: CATEGORY_COLOURS.action }}
            >
              <span className="cairn-palette__icon">
                <NodeIcon name="zap" size={15} />
              </span>
              <span>{action.title ?? action.name}</span>
            </div>
          ))}
        </section>
      )}
      {groups.length === 0 && teamActions.length === 0 && <p className="cairn-muted">No node kind matches “{query}”.</p>}
      <p className="cairn-palette__hint">Click a kind to add it, or drag it onto the canvas. <kbd>Ctrl/⌘+K</kbd> finds a node.</p>
    </aside>
  );
}
