// A run's history on its page, read incrementally: the events the page holds stay, and each read asks
// only for those after the last one (runs.history with afterSeq), a page of at most PAGE events at a
// time. It reads when the run's detail counts more events than the page holds.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { HistoryEvent } from '../../shared/runs/history.js';
import { useTRPCClient } from '../app/trpc.js';

const PAGE = 1_000;

export const runHistoryKey = (runId: string) => ['cairn', 'run-history', runId] as const;

/** `historyCount`: how many events the run has now (its detail says); undefined until known. */
export function useRunHistory(runId: string, historyCount: number | undefined) {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const key = runHistoryKey(runId);
  const history = useQuery({
    queryKey: key,
    enabled: historyCount !== undefined,
    // Only a larger count makes it read again (the effect below); events never change once written.
    staleTime: Infinity,
    gcTime: 5 * 60_000,
    queryFn: async (): Promise<readonly HistoryEvent[]> => {
      let events = queryClient.getQueryData<readonly HistoryEvent[]>(key) ?? [];
      for (;;) {
        const page = await client.runs.history.query({ id: runId, afterSeq: events.at(-1)?.seq ?? 0, limit: PAGE });
        // The server sends HistoryEvent (runs.service historyAfter); tRPC's JSON view of it only marks
        // its `unknown` fields optional, since JSON drops undefined.
        if (page.events.length > 0) events = [...events, ...(page.events as HistoryEvent[])];
        if (!page.more) return events;
      }
    },
  });
  const held = history.data?.at(-1)?.seq ?? 0;
  const { refetch, isFetching } = history;
  // The count a read was last started for: a read that finds fewer events than counted is not repeated
  // until the count grows again (no loop of reads if the two ever disagree).
  const askedFor = useRef(0);
  useEffect(() => {
    askedFor.current = 0;
  }, [runId]);
  useEffect(() => {
    if (historyCount === undefined || isFetching || historyCount <= held || historyCount <= askedFor.current) return;
    askedFor.current = historyCount;
    void refetch({ cancelRefetch: false });
  }, [historyCount, held, isFetching, refetch]);
  return history;
}
