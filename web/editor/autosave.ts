// Keeping one editor's draft in step with the server. Edits autosave, each save naming the revision
// it is based on; a newer save by another tab or person loads live when nothing here is unsaved,
// and is a conflict when something is (the person then chooses, seeing the difference). Nothing is
// discarded: failed saves retry, taking theirs keeps yours as a revision, restoring is a new save.
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { EditorStore } from './editor.store.js';

export interface DraftApi {
  save(graph: Graph, rev: number): Promise<{ draftRev: number }>;
  load(): Promise<{ graph: Graph; draftRev: number }>;
  /** Keep `mine` as a revision, then put back their draft at `theirsRev` on top. */
  takeTheirs(mine: Graph, theirsRev: number): Promise<{ graph: Graph; draftRev: number }>;
  /** Make revision `rev` the draft again, on top of `base`. */
  restore(rev: number, base: number): Promise<{ graph: Graph; draftRev: number }>;
}

export interface Autosave {
  stop(): void;
  /** Another tab or person saved revision `rev`: load it if nothing here is unsaved, else a conflict. */
  remoteSaved(rev: number): Promise<void>;
  /** Save now whatever is unsaved, and wait for it. */
  flush(): Promise<void>;
}

export function isConflict(error: unknown): boolean {
  const data = (error as { data?: { code?: string } } | undefined)?.data;
  return data?.code === 'CONFLICT';
}

/** Retries of a failed save (the server unreachable): 2 s, doubling, at most 30 s apart. */
const RETRY_MS = { first: 2_000, max: 30_000 };

/** Starts autosaving; `stop` ends it (saving what is unsaved first). `delayMs` debounces bursts of edits. */
export function startAutosave(store: EditorStore, api: DraftApi, delayMs = 600): Autosave {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> | undefined;
  let retryMs = RETRY_MS.first;
  /** The newest revision another tab saved while a save of ours was in flight. */
  let heardWhileSaving = 0;
  let stopped = false;

  const unsaved = () => {
    const state = store.getState();
    return state.graph !== state.savedGraph;
  };

  function save(): Promise<void> {
    if (saving) return saving;
    const state = store.getState();
    if (state.readOnly || state.save === 'conflict' || !unsaved()) return Promise.resolve();
    const graph = state.graph;
    state.markSaving();
    saving = (async () => {
      try {
        const { draftRev } = await api.save(graph, state.rev);
        retryMs = RETRY_MS.first;
        store.getState().markSaved(draftRev, graph);
      } catch (error) {
        if (isConflict(error)) store.getState().markConflict((error as Error).message);
        else {
          store.getState().markError((error as Error).message);
          if (!stopped) schedule(retryMs);
          retryMs = Math.min(retryMs * 2, RETRY_MS.max);
        }
      } finally {
        saving = undefined;
      }
      const heard = heardWhileSaving;
      heardWhileSaving = 0;
      if (heard) await remoteSaved(heard);
      if (store.getState().save === 'dirty') schedule();
    })();
    return saving;
  }

  function schedule(ms = delayMs): void {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void save(), ms);
  }

  async function remoteSaved(rev: number): Promise<void> {
    const state = store.getState();
    if (stopped || state.readOnly || rev <= state.rev || state.save === 'conflict') return;
    if (saving) {
      // Our save decides: if theirs came first, ours is refused as a conflict; if ours did, load theirs after.
      heardWhileSaving = Math.max(heardWhileSaving, rev);
      return;
    }
    if (unsaved()) return conflictWith(rev);
    const shown = state.graph;
    const latest = await api.load();
    const now = store.getState();
    if (stopped || latest.draftRev <= now.rev || now.save === 'conflict') return;
    // Edited while theirs was on its way: that edit is unsaved work, so this is a conflict too.
    if (now.graph !== shown || saving) return saving ? void (heardWhileSaving = Math.max(heardWhileSaving, latest.draftRev)) : conflictWith(latest.draftRev);
    clearTimeout(timer);
    now.loadDraft(latest.graph, latest.draftRev);
  }

  function conflictWith(rev: number): void {
    clearTimeout(timer);
    store.getState().markConflict(`revision ${rev} was saved elsewhere while you had unsaved changes`);
  }

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.graph === previous.graph) return;
    // Edits, undo and redo all come here; undoing back to what the server has is saved again.
    if (state.save === 'saved' || state.save === 'dirty' || state.save === 'error') {
      const next = unsaved() ? 'dirty' : 'saved';
      if (next !== state.save) store.setState({ save: next });
    }
    if (store.getState().save === 'dirty') schedule();
  });

  return {
    stop() {
      clearTimeout(timer);
      unsubscribe();
      // Leaving the editor within the debounce must not lose the last edit: send it now.
      if (store.getState().save === 'dirty') void save();
      stopped = true;
    },
    remoteSaved,
    async flush() {
      clearTimeout(timer);
      if (saving) await saving;
      await save();
    },
  };
}

/** The person's choice in a conflict, against their draft as it was shown (`theirs`). */
export async function resolveConflict(store: EditorStore, api: DraftApi, choice: 'theirs' | 'mine', theirs: { draftRev: number }): Promise<void> {
  const mine = store.getState().graph;
  if (choice === 'theirs') {
    // Yours is kept as a revision first; theirs is then shown as one undoable step.
    const taken = await api.takeTheirs(mine, theirs.draftRev);
    store.getState().adoptSaved(taken.graph, taken.draftRev);
    return;
  }
  // Yours goes on top as a new revision; theirs stays in the history.
  const { draftRev } = await api.save(mine, theirs.draftRev);
  store.getState().markSaved(draftRev, mine);
}

/** Restore a kept revision: what is unsaved is saved first, then the restore is one undoable step. */
export async function restoreRevision(store: EditorStore, api: DraftApi, autosave: Autosave, rev: number): Promise<void> {
  await autosave.flush();
  const state = store.getState();
  if (state.save !== 'saved') throw new Error(state.save === 'conflict' ? 'settle the conflict first' : `the draft is not saved (${state.saveError ?? state.save})`);
  const restored = await api.restore(rev, state.rev);
  store.getState().adoptSaved(restored.graph, restored.draftRev);
}
