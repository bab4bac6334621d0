// One editor's link to its draft on the server: the draft API with this tab's id, autosave, and the
// live feed of saves (workflows.onDraftChange) that loads another tab's or person's save or reports
// a conflict. The feed's first message is the save the draft is at, so a reconnect catches up.
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { useTRPC, useTRPCClient } from '../app/trpc.js';
import { startAutosave, type Autosave, type DraftApi } from './autosave.js';
import type { EditorStore } from './editor.store.js';

/** A random id for this editor tab; works on plain http too (crypto.randomUUID needs a secure context). */
function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `tab-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

export function useDraftSync(store: EditorStore, slug: string): { api: DraftApi; autosave: () => Autosave | undefined; clientId: string } {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [clientId] = useState(newClientId);
  const autosave = useRef<Autosave | undefined>(undefined);

  const api: DraftApi = useMemo(
    () => ({
      save: async (graph, rev) => ({ draftRev: (await client.workflows.saveDraft.mutate({ slug, graph, rev, clientId })).workflow.draftRev }),
      load: async () => {
        const latest = await client.workflows.get.query({ slug });
        return { graph: latest.draft, draftRev: latest.draftRev };
      },
      takeTheirs: async (mine, theirsRev) => {
        const taken = await client.workflows.takeTheirs.mutate({ slug, mine, theirsRev, clientId });
        return { graph: taken.graph as Graph, draftRev: taken.workflow.draftRev };
      },
      restore: async (rev, base) => {
        const restored = await client.workflows.restore.mutate({ slug, rev, base, clientId });
        return { graph: restored.graph as Graph, draftRev: restored.workflow.draftRev };
      },
    }),
    [client, slug, clientId],
  );

  useEffect(() => {
    const started = startAutosave(store, api);
    autosave.current = started;
    return () => {
      started.stop();
      autosave.current = undefined;
    };
  }, [store, api]);

  // Closing the tab with unsaved changes: the browser asks first (and the save is sent meanwhile).
  useEffect(() => {
    const beforeUnload = (event: BeforeUnloadEvent) => {
      const state = store.getState();
      if (state.readOnly || state.graph === state.savedGraph) return;
      void autosave.current?.flush();
      event.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => window.removeEventListener('beforeunload', beforeUnload);
  }, [store]);

  useSubscription(
    trpc.workflows.onDraftChange.subscriptionOptions(
      { slug },
      {
        onData: (change) => {
          void queryClient.invalidateQueries({ queryKey: trpc.workflows.revisions.queryKey({ slug }) });
          if (change.clientId !== clientId) void autosave.current?.remoteSaved(change.rev);
        },
      },
    ),
  );

  return { api, autosave: () => autosave.current, clientId };
}
