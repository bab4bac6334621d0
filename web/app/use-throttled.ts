// A callback that runs at most once per window, for live subscriptions: a burst of server notices
// (thousands of runs moving, thousands of tasks created) becomes one refetch per window, not one
// per notice, so a page that is merely open cannot flood the server with reads.
import { useCallback, useEffect, useRef } from 'react';

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
