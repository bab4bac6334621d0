// One store per open editor (createEditorStore): the graph (undoable through zundo), the selection,
// and the draft's save state. Tested without React.
import { temporal } from 'zundo';
import { createStore } from 'zustand/vanilla';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { validateGraph, type Problem, type ValidateOptions } from '../../shared/validate.js';
import * as ops from './graph-ops.js';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error';

export interface EditorState {
  graph: Graph;
  selection: { nodes: string[]; edges: string[] };
  /** The draft revision the graph is based on (optimistic concurrency). */
  rev: number;
  /** The graph the server holds at `rev`, as far as this editor knows: the graph is unsaved when it is another. */
  savedGraph: Graph;
  save: SaveState;
  saveError?: string;
  readOnly: boolean;
  actions: readonly string[];
  /** Each action's declared input (JSON Schema) by name: steps' inputs are checked against it. */
  actionInputs?: Readonly<Record<string, unknown>>;
  /** Each action's declared credentials by name: a step must choose each required one. */
  actionCredentials?: ValidateOptions['actionCredentials'];

  problems(): Problem[];
  addNode(kind: string, position: ops.Position): string;
  connect(edge: { source: string; sourcePort: string; target: string }): void;
  moveNodes(positions: Record<string, ops.Position>): void;
  /** Typing in one node's fields within a second is one undo step; `separate` makes a change its own (switching the action). */
  updateNode(id: string, change: { label?: string; config?: Record<string, unknown> }, options?: { separate?: boolean }): void;
  renameNode(id: string, newId: string): void;
  removeSelected(): void;
  select(selection: { nodes?: string[]; edges?: string[] }): void;
  copySelection(): ops.Fragment;
  paste(fragment: ops.Fragment): void;
  replaceGraph(graph: Graph): void;
  /**
   * Take the server's draft as the new starting point (someone else's newer save): history starts
   * over, so that undo can never quietly take back a save that was not this editor's.
   */
  loadDraft(graph: Graph, rev: number): void;
  /** Show a graph the server has just saved for this editor (a restore): one undoable step, already saved. */
  adoptSaved(graph: Graph, rev: number): void;
  markSaving(): void;
  /** `graph` was saved as `rev`; if the graph changed since, it stays unsaved. */
  markSaved(rev: number, graph?: Graph): void;
  markConflict(message: string): void;
  markError(message: string): void;
}

export function createEditorStore(
  initial: { graph?: Graph; rev?: number; readOnly?: boolean; actions?: readonly string[]; actionInputs?: Readonly<Record<string, unknown>>; actionCredentials?: ValidateOptions['actionCredentials'] } = {},
) {
  const emptyGraph = ops.emptyGraph();
  const store = createStore<EditorState>()(
    temporal(
      (set, get) => {
        // Typing in one node's fields is one undo step, not one per keystroke.
        let lastFieldEdit: { id: string; at: number } | undefined;
        const edit = (graph: Graph) => {
          lastFieldEdit = undefined;
          set({ graph, save: get().save === 'conflict' ? 'conflict' : 'dirty' });
        };
        return {
          graph: initial.graph ?? emptyGraph,
          selection: { nodes: [], edges: [] },
          rev: initial.rev ?? 0,
          savedGraph: initial.graph ?? emptyGraph,
          save: 'saved',
          readOnly: initial.readOnly ?? false,
          actions: initial.actions ?? [],
          actionInputs: initial.actionInputs,
          actionCredentials: initial.actionCredentials,

          problems: () => {
            const result = validateGraph(get().graph, { actions: get().actions.length ? get().actions : undefined, actionInputs: get().actionInputs, actionCredentials: get().actionCredentials });
            return result.ok ? [] : result.problems;
          },
          addNode(kind, position) {
            const { graph, id } = ops.addNode(get().graph, kind, position);
            edit(graph);
            set({ selection: { nodes: [id], edges: [] } });
            return id;
          },
          connect: (edge) => edit(ops.connect(get().graph, edge)),
          moveNodes: (positions) => edit(ops.moveNodes(get().graph, positions)),
          updateNode(id, change, options = {}) {
            const now = Date.now();
            const continuing = !options.separate && lastFieldEdit?.id === id && now - lastFieldEdit.at < 1_000;
            if (continuing) store.temporal.getState().pause();
            edit(ops.updateNode(get().graph, id, change));
            if (continuing) store.temporal.getState().resume();
            lastFieldEdit = options.separate ? undefined : { id, at: now };
          },
          renameNode(id, newId) {
            edit(ops.renameNode(get().graph, id, newId));
            set({ selection: { nodes: [newId], edges: [] } });
          },
          removeSelected() {
            const { selection } = get();
            if (!selection.nodes.length && !selection.edges.length) return;
            edit(ops.removeElements(get().graph, selection));
            set({ selection: { nodes: [], edges: [] } });
          },
          select: (selection) => set({ selection: { nodes: selection.nodes ?? [], edges: selection.edges ?? [] } }),
          copySelection: () => ops.copyFragment(get().graph, get().selection.nodes),
          paste(fragment) {
            const { graph, ids } = ops.pasteFragment(get().graph, fragment);
            edit(graph);
            set({ selection: { nodes: ids, edges: [] } });
          },
          replaceGraph: (graph) => edit(graph),
          loadDraft(graph, rev) {
            // What was selected stays selected where it still exists.
            const { nodes, edges } = get().selection;
            const kept = { nodes: nodes.filter((id) => graph.nodes.some((node) => node.id === id)), edges: edges.filter((id) => graph.edges.some((edge) => edge.id === id)) };
            set({ graph, savedGraph: graph, rev, save: 'saved', saveError: undefined, selection: kept });
            store.temporal.getState().clear();
          },
          adoptSaved(graph, rev) {
            lastFieldEdit = undefined;
            set({ graph, savedGraph: graph, rev, save: 'saved', saveError: undefined, selection: { nodes: [], edges: [] } });
          },
          markSaving: () => set({ save: 'saving' }),
          markSaved(rev, graph = get().graph) {
            set({ rev, savedGraph: graph, save: get().graph === graph ? 'saved' : 'dirty', saveError: undefined });
          },
          markConflict: (message) => set({ save: 'conflict', saveError: message }),
          markError: (message) => set({ save: 'error', saveError: message }),
        };
      },
      {
        // Only the graph is history: selection and save state are not undone.
        partialize: (state) => ({ graph: state.graph }),
        equality: (a, b) => a.graph === b.graph,
        limit: 200,
      },
    ),
  );
  return store;
}

export type EditorStore = ReturnType<typeof createEditorStore>;
