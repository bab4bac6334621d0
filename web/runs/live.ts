// Live updates for the runs pages: a throttled callback on run changes (the runs.onChange
// subscription), and a clock that ticks for relative times and countdowns.
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../app/trpc.js';
import { useThrottled } from '../app/use-throttled.js';

export type LiveState = 'live' | 'connecting' | 'offline';

export interface RunChangesOptions {
  onChange: () => void;
  throttleMs?: number;
  enabled?: boolean;
  /** One run; without it, any run. */
  runId?: string;
  /** With `runId`: the revision of the run the page holds. A notice at or below it is not news. */
  heldRev?: number;
}

/**
 * Calls `onChange` (throttled) whenever a run changes. For one run, the subscription first says
 * where the run is now (also after a reconnect), and every notice carries the run's revision, so
 * only a revision past the one the page holds calls it. For any run, it is also called when the
 * subscription (re)connects, so nothing committed in between is missed.
 */
export function useRunChanges(options: RunChangesOptions): LiveState {
  const trpc = useTRPC();
  const oneRun = options.runId !== undefined;
  const held = useRef(options.heldRev);
  // The newest revision a notice named: by the time a throttled call is due, a read may have passed it.
  const newest = useRef(-1);
  useEffect(() => {
    held.current = options.heldRev;
  });
  useEffect(() => {
    newest.current = -1;
  }, [options.runId]);
  const isNews = () => !oneRun || held.current === undefined || newest.current > held.current;
  const throttled = useThrottled(() => {
    if (isNews()) options.onChange();
  }, options.throttleMs ?? 500);
  const subscription = useSubscription(
    trpc.runs.onChange.subscriptionOptions(oneRun ? { id: options.runId } : {}, {
      enabled: options.enabled ?? true,
      onStarted: oneRun ? undefined : throttled,
      onData: (change) => {
        newest.current = Math.max(newest.current, change.rev);
        if (isNews()) throttled();
      },
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
