// Live updates for the runs pages: a throttled callback on run changes (the runs.onChange SSE
// subscription), and a clock that ticks for relative times and countdowns.
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTRPC } from '../app/trpc.js';

/** Calls `fn` at most once per `ms`: at once when idle, else once at the end of the window. */
export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  const slot = useRef<{ last: number; timer: ReturnType<typeof setTimeout> | null }>({ last: 0, timer: null });
  useEffect(() => {
    latest.current = fn;
  });
  useEffect(() => {
    const state = slot.current;
    return () => {
      if (state.timer) clearTimeout(state.timer);
      state.timer = null;
    };
  }, []);
  return useCallback(() => {
    const state = slot.current;
    const wait = state.last + ms - Date.now();
    if (wait <= 0) {
      state.last = Date.now();
      latest.current();
    } else if (!state.timer) {
      state.timer = setTimeout(() => {
        state.timer = null;
        state.last = Date.now();
        latest.current();
      }, wait);
    }
  }, [ms]);
}

export type LiveState = 'live' | 'connecting' | 'offline';

/**
 * Calls `onChange` (throttled) whenever a run changes — one run when `runId` is given, else any —
 * and once when the subscription (re)connects, so nothing committed in between is missed.
 */
export function useRunChanges(options: { runId?: string; onChange: () => void; throttleMs?: number; enabled?: boolean }): LiveState {
  const trpc = useTRPC();
  const throttled = useThrottled(options.onChange, options.throttleMs ?? 500);
  const subscription = useSubscription(
    trpc.runs.onChange.subscriptionOptions(options.runId ? { id: options.runId } : {}, {
      enabled: options.enabled ?? true,
      onStarted: throttled,
      onData: throttled,
    }),
  );
  if (subscription.status === 'pending') return 'live';
  if (subscription.status === 'error') return 'offline';
  return 'connecting';
}

/** The current time, updated every `ms` (for "5s ago" and countdowns). */
export function useNow(ms = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
