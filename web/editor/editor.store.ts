// One store per open editor (createEditorStore): the graph (undoable through zundo), the selection,
// and the draft's save state. Tested without React.
import { temporal } from 'zundo';
import { createStore } from 'zustand/vanilla';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { validateGraph, type Problem } from '../../shared/validate.js';
import * as ops from './graph-ops.js';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'conflict' | 'error';

export interface EditorState {
  graph: Graph;
  selection: { nodes: string[]; edges: string[] };
  /** The draft revision the graph is based on (optimistic concurrency). */
  rev: number;
  save: SaveState;
  saveError?: string;
  readOnly: boolean;
  actions: readonly string[];

  problems(): Problem[];
  addNode(kind: string, position: ops.Position): string;
  connect(edge: { source: string; sourcePort: string; target: string }): void;
  moveNodes(positions: Record<string, ops.Position>): void;
  updateNode(id: string, change: { label?: string; config?: Record<string, unknown> }): void;
  renameNode(id: string, newId: string): void;
  removeSelected(): void;
  select(selection: { nodes?: string[]; edges?: string[] }): void;
  copySelection(): ops.Fragment;
  paste(fragment: ops.Fragment): void;
  replaceGraph(graph: Graph): void;
  /** Take the server's draft as the new starting point (after a conflict): history starts over. */
  loadDraft(graph: Graph, rev: number): void;
  markSaving(): void;
  markSaved(rev: number): void;
  markConflict(message: string): void;
  markError(message: string): void;
}

export function createEditorStore(initial: { graph?: Graph; rev?: number; readOnly?: boolean; actions?: readonly string[] } = {}) {
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
          graph: initial.graph ?? ops.emptyGraph(),
          selection: { nodes: [], edges: [] },
          rev: initial.rev ?? 0,
          save: 'saved',
          readOnly: initial.readOnly ?? false,
          actions: initial.actions ?? [],

          problems: () => {
            const result = validateGraph(get().graph, { actions: get().actions.length ? get().actions : undefined });
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
          updateNode(id, change) {
            const now = Date.now();
            const continuing = lastFieldEdit?.id === id && now - lastFieldEdit.at < 1_000;
            if (continuing) store.temporal.getState().pause();
            edit(ops.updateNode(get().graph, id, change));
            if (continuing) store.temporal.getState().resume();
            lastFieldEdit = { id, at: now };
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
            set({ graph, rev, save: 'saved', saveError: undefined, selection: { nodes: [], edges: [] } });
            store.temporal.getState().clear();
          },
          markSaving: () => set({ save: 'saving' }),
          markSaved: (rev) => set({ rev, save: 'saved', saveError: undefined }),
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
