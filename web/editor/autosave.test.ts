// Autosave against a fake draft API that behaves like the server: a save based on an old revision
// is a conflict, which is shown and never overwrites silently.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAutosave, resolveConflict, type DraftApi } from './autosave.js';
import { createEditorStore } from './editor.store.js';

function serverDraft() {
  const server = { graph: { format: 'cairn.graph/v1', nodes: [], edges: [] } as unknown, rev: 1, saves: 0 };
  const api: DraftApi = {
    async save(graph, rev) {
      if (rev !== server.rev) throw Object.assign(new Error(`the draft was saved by someone else (now at revision ${server.rev})`), { data: { code: 'CONFLICT' } });
      server.graph = graph;
      server.rev += 1;
      server.saves += 1;
      return { draftRev: server.rev };
    },
    async load() {
      return { graph: server.graph, draftRev: server.rev };
    },
  };
  return { server, api };
}

// The debounce is UI time, not workflow time: fake timers make every save happen exactly when due.
beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());
const settle = () => vi.advanceTimersByTimeAsync(10);

describe('autosave', () => {
  it('saves edits with the revision they are based on', async () => {
    const { server, api } = serverDraft();
    const store = createEditorStore({ rev: 1 });
    const stop = startAutosave(store, api, 5);
    store.getState().addNode('start', { x: 0, y: 0 });
    await settle();
    expect(server.rev).toBe(2);
    expect(store.getState()).toMatchObject({ save: 'saved', rev: 2 });
    stop();
  });

  it('a conflicting autosave (another tab saved) shows the conflict, then lets the user choose', async () => {
    const { server, api } = serverDraft();
    const mine = createEditorStore({ rev: 1 });
    const stop = startAutosave(mine, api, 5);
    await api.save({ format: 'cairn.graph/v1', nodes: [{ id: 'other-tab' }], edges: [] }, 1);
    mine.getState().addNode('start', { x: 0, y: 0 });
    await settle();
    expect(mine.getState().save).toBe('conflict');
    expect(mine.getState().saveError).toContain('saved by someone else');
    expect((server.graph as { nodes: { id: string }[] }).nodes[0].id).toBe('other-tab');

    // Further edits do not save while the conflict stands.
    mine.getState().addNode('end', { x: 200, y: 0 });
    await settle();
    expect(server.saves).toBe(1);

    await resolveConflict(mine, api, 'mine');
    expect(mine.getState().save).toBe('saved');
    expect((server.graph as { nodes: { id: string }[] }).nodes.map((node) => node.id)).toEqual(['start', 'end']);
    stop();
  });

  it('choosing theirs loads the other draft and starts history over', async () => {
    const { api } = serverDraft();
    const mine = createEditorStore({ rev: 1 });
    await api.save({ format: 'cairn.graph/v1', nodes: [{ id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} }], edges: [] }, 1);
    mine.getState().addNode('end', { x: 0, y: 0 });
    mine.getState().markConflict('conflict');
    await resolveConflict(mine, api, 'theirs');
    expect(mine.getState()).toMatchObject({ save: 'saved', rev: 2 });
    expect(mine.getState().graph.nodes.map((node) => node.id)).toEqual(['start']);
    expect(mine.temporal.getState().pastStates).toEqual([]);
  });
});
