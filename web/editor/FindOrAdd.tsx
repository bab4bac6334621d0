// Ctrl/Cmd+K on the canvas: one box to find a node (by label, id or kind) and go to it, or to add a
// node of a kind at the centre of the view. Arrow keys move, Enter picks, Escape closes.
import { useReactFlow } from '@xyflow/react';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import { getNodeKind, nodeKindList } from '../../shared/nodes/registry.js';
import type { EditorStore } from './editor.store.js';
import { NodeIcon } from '../canvas/NodeIcon.js';
import { nodeSize } from '../canvas/node-size.js';
import { LEGIBLE_ZOOM } from '../canvas/view-plan.js';

interface Choice {
  key: string;
  kind: 'go' | 'add';
  /** A node id to go to, or a node kind to add. */
  target: string;
  title: string;
  detail: string;
  icon: string;
}

const MAX_NODES = 8;

export function FindOrAdd({ store, onClose, onAdd }: { store: EditorStore; onClose(): void; onAdd(kind: string): void }) {
  const flow = useReactFlow();
  const graph = useStore(store, (state) => state.graph);
  const readOnly = useStore(store, (state) => state.readOnly);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();

  const choices = useMemo<Choice[]>(() => {
    const needle = query.trim().toLowerCase();
    const matches = (text: string) => !needle || text.toLowerCase().includes(needle);
    const nodes = graph.nodes
      .filter((node) => matches(`${node.label ?? ''} ${node.id} ${node.kind} ${getNodeKind(node.kind)?.label ?? ''}`))
      .slice(0, MAX_NODES)
      .map((node): Choice => {
        const kind = getNodeKind(node.kind);
        return { key: `go:${node.id}`, kind: 'go', target: node.id, title: `Go to ${node.label || node.id}`, detail: `${node.id} · ${kind?.label ?? node.kind}`, icon: kind?.icon ?? '' };
      });
    const kinds = readOnly
      ? []
      : nodeKindList
          .filter((kind) => matches(`${kind.label} ${kind.kind} ${kind.description}`))
          .map((kind): Choice => ({ key: `add:${kind.kind}`, kind: 'add', target: kind.kind, title: `Add ${kind.label}`, detail: kind.description, icon: kind.icon }));
    return [...nodes, ...kinds];
  }, [graph, readOnly, query]);

  useEffect(() => input.current?.focus(), []);
  useEffect(() => setActive(0), [query]);

  const pick = (choice: Choice | undefined) => {
    if (!choice) return;
    onClose();
    if (choice.kind === 'add') return onAdd(choice.target);
    const node = store.getState().graph.nodes.find((candidate) => candidate.id === choice.target);
    if (!node) return;
    store.getState().select({ nodes: [node.id] });
    const size = nodeSize(node);
    void flow.setCenter(node.position.x + size.width / 2, node.position.y + size.height / 2, { zoom: Math.max(flow.getZoom(), LEGIBLE_ZOOM), duration: 250 });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') setActive((index) => Math.min(index + 1, choices.length - 1));
    else if (event.key === 'ArrowUp') setActive((index) => Math.max(index - 1, 0));
    else if (event.key === 'Enter') pick(choices[active]);
    else if (event.key === 'Escape') onClose();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div className="cairn-find__backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div className="cairn-find" role="dialog" aria-modal="true" aria-label="Find or add a node" data-testid="find-or-add">
        <input
          ref={input}
          className="cairn-find__input"
          role="combobox"
          aria-label={readOnly ? 'Find a node' : 'Find a node or add one'}
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={choices[active] ? `${listId}-${active}` : undefined}
          aria-autocomplete="list"
          placeholder={readOnly ? 'Find a node by name, id or kind' : 'Find a node, or type a kind to add one'}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onKeyDown}
          data-testid="find-or-add-input"
        />
        <ul className="cairn-find__list" role="listbox" id={listId} aria-label="Nodes and node kinds">
          {choices.map((choice, index) => (
            <li
              key={choice.key}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              className={`cairn-find__choice${index === active ? ' cairn-find__choice--active' : ''}`}
              onMouseEnter={() => setActive(index)}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => pick(choice)}
              data-testid={`find-${choice.key}`}
            >
              <NodeIcon name={choice.icon} size={15} />
              <span className="cairn-find__title">{choice.title}</span>
              <span className="cairn-find__detail">{choice.detail}</span>
            </li>
          ))}
        </ul>
        {choices.length === 0 && (
          <p className="cairn-find__none" role="status">
            Nothing matches “{query}”.
          </p>
        )}
      </div>
    </div>
  );
}
