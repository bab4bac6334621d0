// An operator's hold on one run: the Pause / Resume button (the run page and the runs list), and what
// the run page says about a paused run (who paused it, why, what waits meanwhile) and about a queued
// one (its place in line under its workflow's concurrency limit).
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import type { HistoryEvent } from '../../shared/runs/history.js';
import { mayPause, mayResume } from '../../shared/runs/status.js';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { relativeTime } from '../ui/time.js';
import { absoluteTime } from './run-format.js';
import './operator.css';

/** How often a queued run's page asks for its place: other runs finishing move it, and those are not this run's changes. */
const QUEUE_POLL_MS = 2_000;

interface Props {
  run: { id: string; status: string };
  small?: boolean;
  onDone(message: string): void;
  onError(message: string): void;
}

/** Nothing for a run that can be neither paused nor resumed (queued, finished). */
export function PauseResumeButton({ run, small, onDone, onError }: Props) {
  const trpc = useTRPC();
  // The request is stored at once but the worker applies it a moment later: until the run's status
  // moves on from the one it had, the button stays busy (a second click would only be refused).
  const [sentAt, setSentAt] = useState<string | null>(null);
  const busy = sentAt === run.status;
  // Once it has moved on, forget it: the run may come back to that status later (resumed elsewhere).
  useEffect(() => {
    if (sentAt !== null && sentAt !== run.status) setSentAt(null);
  }, [sentAt, run.status]);
  const options = (message: string) => ({
    onSuccess: () => {
      setSentAt(run.status);
      onDone(message);
    },
    onError: (error: unknown) => onError(describeError(error).message),
  });
  const pause = useMutation(trpc.operations.pause.mutationOptions(options('Pause requested: the run stops before it starts anything more')));
  const resume = useMutation(trpc.operations.resume.mutationOptions(options('Resume requested: what waited meanwhile is taken in order')));
  const size = small ? ' cairn-button--small' : '';
  if (mayResume(run.status)) {
    return (
      <button type="button" className={`cairn-button cairn-button--primary${size}`} disabled={resume.isPending || busy} onClick={() => resume.mutate({ id: run.id })} data-testid={`resume-run${small ? `-${run.id}` : ''}`}>
        {resume.isPending || busy ? 'Resuming…' : 'Resume'}
      </button>
    );
  }
  if (!mayPause(run.status)) return null;
  return (
    <button
      type="button"
      className={`cairn-button${small ? ' cairn-button--ghost' : ''}${size}`}
      disabled={pause.isPending || busy}
      title="Hold the run: nothing more starts, its timers wait, signals and decisions are kept"
      onClick={() => pause.mutate({ id: run.id })}
      data-testid={`pause-run${small ? `-${run.id}` : ''}`}
    >
      {pause.isPending || busy ? 'Pausing…' : 'Pause'}
    </button>
  );
}

/** Who paused the run and why (its newest runPaused event), and what that means until it is resumed. */
export function PausedNotice({ history, now }: { history: readonly HistoryEvent[]; now: number }) {
  const paused = history.findLast((event) => event.type === 'runPaused');
  const data = (paused?.data ?? {}) as { by?: string; reason?: string };
  return (
    <div className="cairn-notice cairn-operator-notice cairn-operator-notice--paused" data-testid="run-paused">
      <p className="cairn-notice__title">
        Paused
        {data.by && <> by {data.by}</>}
        {paused && (
          <time dateTime={paused.at} title={absoluteTime(paused.at)} className="cairn-operator-notice__when">
            {relativeTime(paused.at, now)}
          </time>
        )}
      </p>
      {data.reason && <p className="cairn-operator-notice__reason">“{data.reason}”</p>}
      <p className="cairn-operator-notice__detail">Nothing starts until it is resumed: timers that come due wait, signals and decisions are kept. On resume they are taken in order.</p>
    </div>
  );
}

/** A queued run's place in line, with its workflow's limit and how many runs hold a place now. */
export function QueuedNotice({ run, workflowName }: { run: { id: string; workflow: string }; workflowName: string }) {
  const trpc = useTRPC();
  const place = useQuery({ ...trpc.operations.queuePosition.queryOptions({ id: run.id }), refetchInterval: QUEUE_POLL_MS });
  const limit = useQuery({ ...trpc.operations.concurrency.queryOptions({ slug: run.workflow }), refetchInterval: QUEUE_POLL_MS });
  const position = place.data?.position;
  return (
    <div className="cairn-notice cairn-operator-notice cairn-operator-notice--queued" data-testid="run-queued">
      <p className="cairn-notice__title">
        Queued
        {position != null && (
          <>
            {': '}
            <span data-testid="queue-position" data-position={position}>
              {position === 1 ? 'next in line' : `${ordinal(position)} in line`}
            </span>
          </>
        )}
      </p>
      <p className="cairn-operator-notice__detail">
        It has not started.{' '}
        {limit.data?.limit != null && (
          <span data-testid="queue-limit">
            {workflowName} allows {limit.data.limit} run{limit.data.limit === 1 ? '' : 's'} in flight and has {limit.data.inFlight}; {limit.data.queued} queued.{' '}
          </span>
        )}
        Queued runs start in the order they were started, as others finish. <Link href={`/workflows/${run.workflow}/drain`}>Concurrency limit</Link>
      </p>
      {place.isError && <p className="cairn-field__error">{describeError(place.error).message}</p>}
    </div>
  );
}

const ORDINAL_SUFFIX: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };
const ordinalRules = new Intl.PluralRules('en', { type: 'ordinal' });
const ordinal = (n: number) => `${n.toLocaleString('en')}${ORDINAL_SUFFIX[ordinalRules.select(n)] ?? 'th'}`;
