// What every widget shares: its props, the inspector context (names, actions, workflows, read-only)
// and useDraft, for widgets whose text cannot always be stored (half-typed JSON, a key being named).
import { createContext, useContext, useState } from 'react';
import type { ActionDescription } from '../../../shared/runs/actions.js';
import type { CredentialChoice } from '../../../shared/credential-kinds.js';
import type { LastRunData, ScopeEntry } from './expression-scope.js';

export interface InspectorContextValue {
  /** Names expressions can start from: input, instance, nodes.<id>. */
  names: readonly string[];
  /** What the node's expressions can read, for autocomplete (expression-scope.ts). */
  scope: readonly ScopeEntry[];
  /** The newest run's data to preview expressions on; null when there is no run, undefined when unknown. */
  lastRun?: LastRunData | null;
  actions: readonly ActionDescription[];
  workflows: readonly string[];
  readOnly: boolean;
  /** The stored credentials for the pickers; undefined when they are not known (they are typed then). */
  credentials?: readonly CredentialChoice[];
}

export const InspectorContext = createContext<InspectorContextValue>({ names: [], scope: [], actions: [], workflows: [], readOnly: false });

export const useInspector = () => useContext(InspectorContext);

export interface WidgetProps {
  /** DOM id of the main control, which the field's label points at. */
  id: string;
  /** data-testid of the main control (simple widgets) or the widget's container (composite ones). */
  testId: string;
  /** The field's title, used to name sub-controls for assistive technology. */
  label: string;
  /** The stored value, as found in the config (not necessarily well-formed). */
  value: unknown;
  /** undefined removes the field (or the key) from the config. */
  onChange(value: unknown): void;
  placeholder?: string;
  /** An example value that fits the field (the registry's `example`), for its placeholder. */
  example?: string;
  /** Emptying the control unsets the value (optional fields) instead of storing "" or nothing. */
  emptyIsUnset?: boolean;
  /** The value's config path ("input.url"): the problems panel finds the control by it. */
  fieldPath?: string;
}

/**
 * Local draft state derived from a stored value. The draft lives while the stored value is the one
 * the widget last saw or saved; any other change (undo, another view) replaces it with a fresh one.
 * `setDraft(draft, { value })` saves too: it records `value` as the one this draft stands for.
 */
export function useDraft<D>(value: unknown, toDraft: (value: unknown) => D): [D, (draft: D, saved?: { value: unknown }) => void] {
  const [state, setState] = useState(() => ({ base: value, draft: toDraft(value) }));
  let current = state;
  if (!Object.is(state.base, value)) {
    current = { base: value, draft: toDraft(value) };
    setState(current);
  }
  const setDraft = (draft: D, saved?: { value: unknown }) =>
    setState((previous) => ({ base: saved ? saved.value : previous.base, draft }));
  return [current.draft, setDraft];
}

export const asString = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);

export const asStringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))) : [];
