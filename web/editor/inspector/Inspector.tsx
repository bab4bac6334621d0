// The inspector: the selected node's kind, id, label and a config form generated from its kind's
// config schema in the node registry (shared/nodes), never written per kind; a step's input is the form
// of its action's declared input. Every edit goes through the editor store: updateNode with a whole new
// config (unknown keys kept, unset fields removed). Expressions get the names the node can read (from
// the graph and the actions) and a preview against the last run's data.
import { useId, useMemo } from 'react';
import { useStore } from 'zustand';
import type { ActionDescription } from '../../../shared/runs/actions.js';
import type { CredentialChoice } from '../../../shared/credential-kinds.js';
import { getNodeKind } from '../../../shared/nodes/registry.js';
import type { EditorStore } from '../editor.store.js';
import { ConfigField } from './ConfigField.js';
import { NodeHeader } from './NodeHeader.js';
import { configProblems, describeFields, withField } from './config-fields.js';
import { withAction } from './action-input-model.js';
import { expressionNames } from './expression-names.js';
import { expressionScope, upstreamIds, type LastRunData } from './expression-scope.js';
import { InspectorContext, type InspectorContextValue } from './widget-kit.js';
import './inspector.css';
import './inspector-widgets.css';

export interface InspectorProps {
  store: EditorStore;
  /** The registered actions (the server's ActionRegistry.describe()). */
  actions: ActionDescription[];
  /** Slugs of the workflows a sub-workflow node may run. */
  workflows: string[];
  /** The workflow's newest run (tRPC runs.latestData) to preview expressions on; null when it has none. */
  lastRun?: LastRunData | null;
  /** The stored credentials (tRPC credentials.names) for the credential pickers; undefined: typed names. */
  credentials?: readonly CredentialChoice[];
}

export function Inspector({ store, actions, workflows, lastRun, credentials }: InspectorProps) {
  const selected = useStore(store, (state) => state.selection.nodes);
  const graph = useStore(store, (state) => state.graph);
  const readOnly = useStore(store, (state) => state.readOnly);
  const nodeId = selected.length === 1 ? selected[0] : undefined;
  const node = graph.nodes.find((candidate) => candidate.id === nodeId);
  // Only what runs before the node can be read by it: the names hint and autocomplete offer just that.
  const context = useMemo<InspectorContextValue>(
    () => ({
      names: nodeId ? expressionNames(upstreamIds(graph, nodeId), nodeId) : [],
      scope: nodeId ? expressionScope({ graph, nodeId, actions, lastRun }) : [],
      lastRun,
      actions,
      workflows,
      readOnly,
      credentials,
    }),
    [graph, nodeId, actions, workflows, readOnly, lastRun, credentials],
  );

  return (
    <aside className="cairn-inspector" data-testid="inspector" aria-label="Inspector">
      {node ? (
        <InspectorContext.Provider value={context}>
          {/* Keyed by id: another node (or a renamed one) starts with fresh drafts. */}
          <NodeForm key={node.id} store={store} nodeId={node.id} kind={node.kind} actions={actions} />
        </InspectorContext.Provider>
      ) : (
        <p className="cairn-inspector__empty" data-testid="inspector-hint">
          {selected.length > 1 ? `${selected.length} nodes are selected. Select one to edit it.` : 'Select a node to edit it.'}
        </p>
      )}
    </aside>
  );
}

function NodeForm({ store, nodeId, kind, actions }: { store: EditorStore; nodeId: string; kind: string; actions: readonly ActionDescription[] }) {
  const spec = getNodeKind(kind);
  const config = useStore(store, (state) => state.graph.nodes.find((node) => node.id === nodeId)?.config) ?? {};
  const fields = useMemo(() => (spec ? describeFields(spec.config) : []), [spec]);
  const wholeProblems = spec ? configProblems(spec.config, config) : [];
  const titleId = useId();
  // A kind with an `action` and an `input` (a step): the input is that action's, and follows it.
  const hasActionInput = fields.some((field) => field.key === 'action' && field.widget === 'action') && fields.some((field) => field.key === 'input' && field.widget === 'valueMap');

  // Built from the store's latest config, not this render's, so quick successive edits never undo each other.
  const setField = (key: string, value: unknown) => {
    const state = store.getState();
    const current = state.graph.nodes.find((node) => node.id === nodeId);
    if (!current || state.readOnly) return;
    // Switching the action keeps only the input fields the new action has: one undo step of its own.
    const switching = hasActionInput && key === 'action';
    const next = switching ? withAction(current.config, value, actions) : withField(current.config, key, value);
    if (next !== current.config) state.updateNode(nodeId, { config: next }, { separate: switching });
  };

  return (
    <form className="cairn-inspector__form" data-testid="inspector-form" data-kind={kind} onSubmit={(event) => event.preventDefault()}>
      <NodeHeader store={store} nodeId={nodeId} spec={spec} kind={kind} />
      {spec && (
        <section className="cairn-inspector__section" aria-labelledby={titleId}>
          <h3 className="cairn-inspector__section-title" id={titleId}>
            Settings
          </h3>
          {fields.length === 0 && (
            <p className="cairn-inspector__hint" data-testid="inspector-no-config">
              Nothing to set for this kind.
            </p>
          )}
          {fields.filter((field) => !hiddenCredentials(field, config, actions)).map((field) => (
            <ConfigField
              key={field.key}
              field={field}
              value={config[field.key]}
              onChange={(value) => setField(field.key, value)}
              inputOf={hasActionInput && field.key === 'input' ? { action: config.action } : undefined}
              forAction={field.widget === 'credentials' ? config.action : undefined}
            />
          ))}
          {wholeProblems.length > 0 && (
            <ul className="cairn-inspector__problem" data-testid="inspector-config-problem">
              {wholeProblems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          )}
        </section>
      )}
    </form>
  );
}

/** A step's credential pickers are shown only when its action declares credentials (or some are chosen). */
function hiddenCredentials(field: { widget: string }, config: Record<string, unknown>, actions: readonly ActionDescription[]): boolean {
  if (field.widget !== 'credentials' || config.credentials !== undefined) return false;
  const declared = actions.find((action) => action.name === config.action)?.credentials;
  return !declared || Object.keys(declared).length === 0;
}
