// What the editor shows instead of the draft while a kept revision is open: the revision read-only,
// or the changes from it to the draft (drawn on the canvas and listed per field).
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { useTRPC } from '../app/trpc.js';
import { createEditorStore, type EditorStore } from './editor.store.js';
import { diffGraphs, type GraphDiff } from './graph-diff.js';
import type { RevisionView } from './RevisionsDrawer.js';

export interface ShownRevision {
  /** A read-only store of what the canvas draws; undefined while the revision loads. */
  store?: EditorStore;
  diff?: GraphDiff;
  /** For the canvas's key: a new view is a new canvas. */
  key: string;
}

export function useRevisionView(slug: string, view: RevisionView, draft: Graph): ShownRevision {
  const trpc = useTRPC();
  // A kept revision never changes: once fetched it is good for as long as the page lives.
  const revision = useQuery({ ...trpc.workflows.revision.queryOptions({ slug, rev: view?.rev ?? 1 }), enabled: view !== null, staleTime: Infinity });
  const older = revision.data && revision.data.rev === view?.rev ? (revision.data.graph as Graph) : undefined;
  const diff = useMemo(() => (view?.diff && older ? diffGraphs(older, draft) : undefined), [view, older, draft]);
  const store = useMemo(() => (view && older ? createEditorStore({ graph: view.diff ? draft : older, readOnly: true }) : undefined), [view, older, draft]);
  return { store, diff, key: view ? `r${view.rev}-${view.diff}` : '' };
}
