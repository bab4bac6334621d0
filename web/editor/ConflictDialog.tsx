// A conflict: the draft was saved elsewhere while this editor had unsaved changes. The dialog shows
// who saved and what differs between their draft and yours, per node and field, before any choice;
// neither choice discards a save (taking theirs keeps yours as a revision; keeping yours leaves
// theirs in the history).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { useTRPC } from '../app/trpc.js';
import { DiffList } from './DiffList.js';
import type { EditorStore } from './editor.store.js';
import { diffGraphs } from './graph-diff.js';
import { savedByText } from './RevisionsDrawer.js';

export interface Theirs {
  draftRev: number;
  graph: Graph;
}

export function ConflictDialog(props: { slug: string; store: EditorStore; me: string | undefined; onChoose: (choice: 'theirs' | 'mine', theirs: Theirs) => Promise<void>; onClose: () => void }) {
  const trpc = useTRPC();
  const ref = useRef<HTMLDialogElement>(null);
  const mine = useStore(props.store, (state) => state.graph);
  // Their side is the draft as it is now; a further save elsewhere refreshes it (useDraftSync invalidates).
  const revisions = useQuery({ ...trpc.workflows.revisions.queryOptions({ slug: props.slug }), staleTime: 0 });
  const current = revisions.data?.revisions.find((revision) => revision.rev === revisions.data?.draftRev);
  const theirs = useQuery({ ...trpc.workflows.revision.queryOptions({ slug: props.slug, rev: revisions.data?.draftRev ?? 1 }), enabled: !!revisions.data, staleTime: Infinity });
  const diff = useMemo(() => (theirs.data ? diffGraphs(theirs.data.graph as Graph, mine) : undefined), [theirs.data, mine]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const choose = async (choice: 'theirs' | 'mine') => {
    if (!theirs.data) return;
    setBusy(true);
    setError(null);
    try {
      await props.onChoose(choice, { draftRev: theirs.data.rev, graph: theirs.data.graph as Graph });
    } catch (caught) {
      // Saved again meanwhile: show the newer draft and let the person decide again.
      setError((caught as Error).message);
      void revisions.refetch();
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="cairn-dialog cairn-conflict"
      aria-labelledby="cairn-conflict-title"
      data-testid="conflict-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) props.onClose();
      }}
    >
      <form onSubmit={(event) => event.preventDefault()}>
        <header>
          <h2 id="cairn-conflict-title">This draft was saved elsewhere</h2>
          <p className="cairn-dialog__description" data-testid="conflict-who">
            {current ? (
              <>
                {savedByText(current, props.me, { capital: true })} saved revision {current.rev} at {new Date(current.savedAt).toLocaleTimeString()} while you had unsaved changes.
              </>
            ) : (
              'Loading their draft…'
            )}{' '}
            Whichever you choose, the other stays in the draft’s history, where you can view and restore it.
          </p>
        </header>
        <div className="cairn-conflict__diff">{diff ? <DiffList diff={diff} before="theirs" after="yours" testId="conflict-diff" /> : <p className="cairn-muted">Comparing…</p>}</div>
        {error && (
          <p className="cairn-error" role="alert" data-testid="conflict-error">
            {error}
          </p>
        )}
        <footer className="cairn-dialog__footer">
          <button type="button" className="cairn-button cairn-button--secondary" onClick={props.onClose} disabled={busy} data-testid="conflict-later">
            Decide later
          </button>
          <button type="button" className="cairn-button" onClick={() => void choose('theirs')} disabled={busy || !theirs.data} data-testid="conflict-theirs" title="Your draft is kept as a revision you can restore">
            Take theirs (keep mine as a revision)
          </button>
          <button type="button" className="cairn-button cairn-button--primary" onClick={() => void choose('mine')} disabled={busy || !theirs.data} data-testid="conflict-mine" title="Theirs stays in the history">
            Keep mine (theirs stays in the history)
          </button>
        </footer>
      </form>
    </dialog>
  );
}
