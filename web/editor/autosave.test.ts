// Autosave and live saves against a fake draft server that keeps the real one's rule: a save based
// on an older revision is a conflict unless every later save was the same tab's. Each store is one
// editor tab; nothing unsaved is ever overwritten, and no choice loses a save.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GRAPH_FORMAT, type Graph } from '../../shared/graph/graph.schema.js';
import { restoreRevision, resolveConflict, startAutosave, type DraftApi } from './autosave.js';
import { createEditorStore } from './editor.store.js';

const graphWith = (...ids: string[]): Graph => ({ format: GRAPH_FORMAT, nodes: ids.map((id, index) => ({ id, kind: 'log', position: { x: index * 200, y: 0 }, config: {} })), edges: [] });
const ids = (graph: Graph) => graph.nodes.map((node) => node.id);

function fakeServer() {
  const revisions: { graph: Graph; tab: string }[] = [{ graph: graphWith(), tab: 'created' }];
  const server = {
    revisions,
    get rev() {
      return revisions.length;
    },
    get graph() {
      return revisions[revisions.length - 1].graph;
    },
    offline: false,
    /** While set, answers to saves wait for it: the test holds a save's answer to make saves overlap. */
    gate: undefined as Promise<void> | undefined,
    hold(): () => void {
      let release = () => {};
      server.gate = new Promise((resolve) => (release = resolve));
      return () => {
        server.gate = undefined;
        release();
      };
    },
    tab(tab: string): DraftApi {
      const write = (graph: Graph, base: number) => {
        if (server.offline) throw new Error('Failed to fetch');
        if (base !== server.rev && !(base < server.rev && revisions.slice(base).every((revision) => revision.tab === tab))) {
          throw Object.assign(new Error(`the draft was saved by someone else (revision ${server.rev})`), { data: { code: 'CONFLICT' } });
        }
        revisions.push({ graph, tab });
        return server.rev;
      };
      return {
        save: async (graph, base) => {
          const draftRev = write(graph, base);
          await server.gate;
          return { draftRev };
        },
        load: async () => ({ graph: server.graph, draftRev: server.rev }),
        takeTheirs: async (mine, theirsRev) => {
          const theirs = revisions[theirsRev - 1].graph;
          write(mine, theirsRev);
          return { graph: theirs, draftRev: write(theirs, server.rev) };
        },
        restore: async (rev, base) => ({ graph: revisions[rev - 1].graph, draftRev: write(revisions[rev - 1].graph, base) }),
      };
    },
  };
  return server;
}

/** An edit in a tab: a node with this id (ids tell the saves apart). */
function add(tab: { s: () => ReturnType<ReturnType<typeof createEditorStore>['getState']> }, id: string): void {
  const graph = tab.s().graph;
  tab.s().replaceGraph({ ...graph, nodes: [...graph.nodes, { id, kind: 'log', position: { x: graph.nodes.length * 200, y: 0 }, config: {} }] });
}

// The debounce is UI time, not workflow time: fake timers make every save happen exactly when due.
beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());
const settle = () => vi.advanceTimersByTimeAsync(10);

function openTab(server: ReturnType<typeof fakeServer>, tab: string) {
  const store = createEditorStore({ graph: server.graph, rev: server.rev });
  const api = server.tab(tab);
  const autosave = startAutosave(store, api, 5);
  return { store, api, autosave, s: () => store.getState() };
}

describe('autosave', () => {
  it('saves edits with the revision they are based on; undoing back to the saved graph is saved again', async () => {
    const server = fakeServer();
    const { s, store, autosave } = openTab(server, 'a');
    add({ s }, 'start');
    await settle();
    expect(server.rev).toBe(2);
    expect(s()).toMatchObject({ save: 'saved', rev: 2 });
    store.temporal.getState().undo();
    expect(s().save).toBe('dirty');
    await settle();
    expect(server.rev).toBe(3);
    expect(ids(server.graph)).toEqual([]);
    autosave.stop();
  });

  it('an edit made while a save is in flight is saved after it, never lost', async () => {
    const server = fakeServer();
    const { s, autosave } = openTab(server, 'a');
    add({ s }, 'start');
    await vi.advanceTimersByTimeAsync(5);
    add({ s }, 'end');
    await settle();
    await settle();
    expect(ids(server.graph)).toEqual(['start', 'end']);
    expect(s()).toMatchObject({ save: 'saved', rev: server.rev });
    autosave.stop();
  });

  it('a failed save (server unreachable) is retried until it goes through', async () => {
    const server = fakeServer();
    const { s, autosave } = openTab(server, 'a');
    server.offline = true;
    add({ s }, 'start');
    await settle();
    expect(s()).toMatchObject({ save: 'error', saveError: 'Failed to fetch' });
    server.offline = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(s().save).toBe('saved');
    expect(ids(server.graph)).toEqual(['start']);
    autosave.stop();
  });

  it('leaving the editor within the debounce still sends the last edit', async () => {
    const server = fakeServer();
    const { s, autosave } = openTab(server, 'a');
    add({ s }, 'start');
    autosave.stop();
    await settle();
    expect(ids(server.graph)).toEqual(['start']);
  });
});

describe('saves made elsewhere', () => {
  it('load at once when nothing here is unsaved, with a fresh undo history', async () => {
    const server = fakeServer();
    const mine = openTab(server, 'a');
    add(mine, 'start');
    await settle();
    const other = openTab(server, 'b');
    add(other, 'end');
    await settle();
    await mine.autosave.remoteSaved(server.rev);
    expect(ids(mine.s().graph)).toEqual(['start', 'end']);
    expect(mine.s()).toMatchObject({ save: 'saved', rev: 3 });
    // Undo cannot quietly take back the other tab's save.
    expect(mine.store.temporal.getState().pastStates).toEqual([]);
    await settle();
    expect(server.rev).toBe(3);
    // Hearing of a save it already has changes nothing.
    await mine.autosave.remoteSaved(2);
    expect(mine.s().rev).toBe(3);
  });

  it('are a conflict when something here is unsaved: nothing is sent until the person chooses', async () => {
    const server = fakeServer();
    const mine = openTab(server, 'a');
    const other = openTab(server, 'b');
    add(other, 'theirs');
    await settle();
    add(mine, 'mine');
    await mine.autosave.remoteSaved(server.rev);
    expect(mine.s().save).toBe('conflict');
    await settle();
    add(mine, 'more');
    await settle();
    expect(server.rev).toBe(2);
    expect(ids(mine.s().graph)).toEqual(['mine', 'more']);
  });

  it('heard while a save of ours is in flight: ours first, then theirs loads; theirs first, ours is a conflict', async () => {
    const server = fakeServer();
    const mine = openTab(server, 'a');
    add(mine, 'mine');
    const release = server.hold();
    await vi.advanceTimersByTimeAsync(5);
    expect(mine.s().save).toBe('saving');
    // Ours reached the server first (revision 2); another tab saves on top, and that is heard
    // before the answer to ours comes back.
    const theirs = server.tab('b').save(graphWith('theirs'), 2);
    await mine.autosave.remoteSaved(3);
    expect(mine.s().save).toBe('saving');
    release();
    await theirs;
    await settle();
    expect(mine.s()).toMatchObject({ save: 'saved', rev: 3 });
    expect(ids(mine.s().graph)).toEqual(['theirs']);

    const late = openTab(server, 'c');
    await server.tab('d').save(graphWith('first'), 3);
    add(late, 'second');
    await settle();
    expect(late.s().save).toBe('conflict');
    expect(ids(server.graph)).toEqual(['first']);
  });

  it('a conflict settled as "keep mine" saves yours on top of theirs; theirs stays in the history', async () => {
    const server = fakeServer();
    const mine = openTab(server, 'a');
    await server.tab('b').save(graphWith('theirs'), 1);
    add(mine, 'mine');
    await settle();
    expect(mine.s().save).toBe('conflict');
    await resolveConflict(mine.store, mine.api, 'mine', { draftRev: 2 });
    expect(mine.s()).toMatchObject({ save: 'saved', rev: 3 });
    expect(server.revisions.map((revision) => ids(revision.graph))).toEqual([[], ['theirs'], ['mine']]);
  });

  it('"take theirs" keeps yours as a revision and shows theirs as one undoable step', async () => {
    const server = fakeServer();
    const mine = openTab(server, 'a');
    await server.tab('b').save(graphWith('theirs'), 1);
    add(mine, 'mine');
    await settle();
    await resolveConflict(mine.store, mine.api, 'theirs', { draftRev: 2 });
    expect(ids(mine.s().graph)).toEqual(['theirs']);
    expect(mine.s()).toMatchObject({ save: 'saved', rev: 4 });
    expect(server.revisions.map((revision) => ids(revision.graph))).toEqual([[], ['theirs'], ['mine'], ['theirs']]);
    mine.store.temporal.getState().undo();
    await settle();
    expect(ids(server.graph)).toEqual(['mine']);
    expect(mine.s()).toMatchObject({ save: 'saved', rev: 5 });
  });
});

describe('restoring a revision', () => {
  it('saves what is unsaved first, is a new save, and undo takes it back as another save', async () => {
    const server = fakeServer();
    const tab = openTab(server, 'a');
    add(tab, 'first');
    await settle();
    add(tab, 'second');
    // Restoring within the debounce: the unsaved edit becomes revision 3 before revision 2 is restored.
    await restoreRevision(tab.store, tab.api, tab.autosave, 2);
    expect(server.revisions.map((revision) => ids(revision.graph))).toEqual([[], ['first'], ['first', 'second'], ['first']]);
    expect(tab.s()).toMatchObject({ save: 'saved', rev: 4 });
    expect(ids(tab.s().graph)).toEqual(['first']);
    tab.store.temporal.getState().undo();
    expect(ids(tab.s().graph)).toEqual(['first', 'second']);
    await settle();
    expect(server.rev).toBe(5);
    expect(ids(server.graph)).toEqual(['first', 'second']);
    tab.autosave.stop();
  });

  it('is refused while a conflict stands', async () => {
    const server = fakeServer();
    const tab = openTab(server, 'a');
    await server.tab('b').save(graphWith('theirs'), 1);
    add(tab, 'mine');
    await settle();
    await expect(restoreRevision(tab.store, tab.api, tab.autosave, 1)).rejects.toThrow('settle the conflict first');
    expect(server.rev).toBe(2);
  });
});
