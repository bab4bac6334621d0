// The live validation panel: every problem (they block publishing) and every warning (they do not),
// each naming its node and field. Clicking one selects its node (or edge), brings it into view and
// puts the caret in the field to change (focus-field.ts).
import { useReactFlow } from '@xyflow/react';
import { useId, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { graphWarnings, type Warning } from '../../shared/graph-warnings.js';
import type { Problem } from '../../shared/validate.js';
import type { EditorStore } from './editor.store.js';
import { focusField } from './focus-field.js';
import './problems-panel.css';

const OPEN_KEY = 'cairn:problems-list';

type Entry = { severity: 'problem'; item: Problem } | { severity: 'warning'; item: Warning };

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** "node review · field timeout", "node review · port rejected", "edge e4", or nothing. */
function where(item: Problem | Warning): string | undefined {
  const parts = [
    item.nodeId && `node ${item.nodeId}`,
    'edgeId' in item && item.edgeId && !item.nodeId && `edge ${item.edgeId}`,
    item.field && `field ${item.field}`,
    'port' in item && item.port && `port ${item.port}`,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

export function ProblemsPanel({ store, problems }: { store: EditorStore; problems: Problem[] }) {
  const flow = useReactFlow();
  const graph = useStore(store, (state) => state.graph);
  const warnings = useMemo(() => graphWarnings(graph), [graph]);
  const entries: Entry[] = [...problems.map((item) => ({ severity: 'problem' as const, item })), ...warnings.map((item) => ({ severity: 'warning' as const, item }))];

  const focus = ({ item }: Entry) => {
    const edgeId = 'edgeId' in item ? item.edgeId : undefined;
    const edge = edgeId ? store.getState().graph.edges.find((candidate) => candidate.id === edgeId) : undefined;
    const nodeId = item.nodeId ?? edge?.source;
    if (nodeId) {
      store.getState().select({ nodes: [nodeId] });
      void flow.fitView({ nodes: [{ id: nodeId }], duration: 300, maxZoom: 1.2 });
      if (item.field) focusField(store, nodeId, item.field);
    } else if (edgeId) {
      store.getState().select({ edges: [edgeId] });
    }
  };

  // The list has a fixed height (editor.css) and can be folded away; the choice is remembered.
  const [open, setOpen] = useState(() => localStorage.getItem(OPEN_KEY) !== 'closed');
  const listId = useId();
  const toggle = () => {
    localStorage.setItem(OPEN_KEY, open ? 'closed' : 'open');
    setOpen(!open);
  };

  // Warnings never block publishing: with only warnings, there are still "No problems".
  const title = `${problems.length === 0 ? 'No problems' : plural(problems.length, 'problem')}${warnings.length > 0 ? ` · ${plural(warnings.length, 'warning')}` : ''}`;
  return (
    <section className="cairn-problems" data-testid="problems" aria-label="Problems and warnings">
      <header className="cairn-problems__head">
        <h3>{title}</h3>
        {entries.length > 0 && (
          <button type="button" className="cairn-problems__toggle" aria-expanded={open} aria-controls={listId} onClick={toggle} data-testid="problems-toggle">
            {open ? 'Hide list' : 'Show list'}
          </button>
        )}
      </header>
      <ul id={listId} hidden={!open}>
        {entries.map((entry, index) => {
          const { item, severity } = entry;
          const target = item.nodeId ?? ('edgeId' in item ? item.edgeId : undefined) ?? 'graph';
          const location = where(item);
          return (
            <li key={`${severity}-${item.code}-${target}-${index}`} className={`cairn-problems__${severity}`}>
              <button
                type="button"
                onClick={() => focus(entry)}
                data-testid={`${severity}-${item.code}-${target}`}
                data-field={item.field}
                title={location ? `Go to ${location}` : undefined}
              >
                <code>{severity === 'warning' ? `warning ${item.code}` : item.code}</code> {item.message}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
