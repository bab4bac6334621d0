// What the editor shows instead of the draft: one published version read-only, or the changes from
// one version to another version or to the draft (a diff drawn on the canvas and listed per field).
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { useTRPC } from '../app/trpc.js';
import { createEditorStore, type EditorStore } from './editor.store.js';
import { diffGraphs, type GraphDiff } from './graph-diff.js';

/** A version to view; with `diff`, compared with `against` (a later version), or the draft without one. */
export type VersionView = { version: number; diff: boolean; against?: number } | null;

export interface ShownVersion {
  /** A read-only store of what the canvas draws; undefined while the versions load. */
  store?: EditorStore;
  diff?: GraphDiff;
  /** The banner's words. */
  title: string;
}

export function describeView(view: NonNullable<VersionView>): string {
  if (!view.diff) return `Version ${view.version}, read-only`;
  const to = view.against === undefined ? `Changes since version ${view.version}` : `Changes from version ${view.version} to version ${view.against}`;
  return `${to} (green added, red removed, amber changed)`;
}

export function useVersionView(slug: string, view: VersionView, draft: Graph): ShownVersion {
  const trpc = useTRPC();
  const from = useQuery({ ...trpc.workflows.version.queryOptions({ slug, version: view?.version ?? 1 }), enabled: view !== null, staleTime: Infinity });
  const against = useQuery({ ...trpc.workflows.version.queryOptions({ slug, version: view?.against ?? 1 }), enabled: view?.against !== undefined, staleTime: Infinity });
  const fromGraph = from.data && from.data.version === view?.version ? (from.data.graph as Graph) : undefined;
  const toGraph = view?.against === undefined ? draft : against.data && against.data.version === view.against ? (against.data.graph as Graph) : undefined;
  const diff = useMemo(() => (view?.diff && fromGraph && toGraph ? diffGraphs(fromGraph, toGraph) : undefined), [view, fromGraph, toGraph]);
  const store = useMemo(() => {
    if (!view || !fromGraph || (view.diff && !toGraph)) return undefined;
    return createEditorStore({ graph: view.diff ? toGraph : fromGraph, readOnly: true });
  }, [view, fromGraph, toGraph]);
  return { store, diff, title: view ? describeView(view) : '' };
}
