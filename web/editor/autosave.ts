// Autosave of the draft with the server's optimistic concurrency: each save names the revision it
// is based on; a conflict (another tab saved) stops autosaving until the user chooses.
import type { EditorStore } from './editor.store.js';

export interface DraftApi {
  save(graph: unknown, rev: number): Promise<{ draftRev: number }>;
  load(): Promise<{ graph: unknown; draftRev: number }>;
}

export function isConflict(error: unknown): boolean {
  const data = (error as { data?: { code?: string } } | undefined)?.data;
  return data?.code === 'CONFLICT';
}

/** Starts autosaving; returns a function that stops it. `delayMs` debounces bursts of edits. */
export function startAutosave(store: EditorStore, api: DraftApi, delayMs = 600): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saving = false;

  async function save(): Promise<void> {
    const state = store.getState();
    if (saving || state.readOnly || state.save === 'conflict' || state.save === 'saved') return;
    saving = true;
    const graph = state.graph;
    state.markSaving();
    try {
      const { draftRev } = await api.save(graph, state.rev);
      if (store.getState().graph === graph) store.getState().markSaved(draftRev);
      else {
        // Edited while saving: keep the new revision, and save again.
        store.setState({ rev: draftRev, save: 'dirty' });
        schedule();
      }
    } catch (error) {
      if (isConflict(error)) store.getState().markConflict((error as Error).message);
      else store.getState().markError((error as Error).message);
    } finally {
      saving = false;
    }
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void save(), delayMs);
  }

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.graph === previous.graph) return;
    // Undo and redo put back a graph through zundo, not through an edit: it is unsaved all the same.
    if (state.save === previous.save && (state.save === 'saved' || state.save === 'error')) store.setState({ save: 'dirty' });
    if (store.getState().save === 'dirty') schedule();
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

/** The user's choices after a conflict. */
export async function resolveConflict(store: EditorStore, api: DraftApi, choice: 'theirs' | 'mine'): Promise<void> {
  const latest = await api.load();
  if (choice === 'theirs') {
    store.getState().loadDraft(latest.graph as never, latest.draftRev);
    return;
  }
  const { draftRev } = await api.save(store.getState().graph, latest.draftRev);
  store.getState().markSaved(draftRev);
}
