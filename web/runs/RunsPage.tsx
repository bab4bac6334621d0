// The runs list: every run, newest first, filtered by workflow, version, status and the node it waits
// at (kept in the URL, so a filtered list can be linked to), with counts per status that double as
// status filters, cursor pages, and live updates from runs.onChange (refetches throttled to 500 ms).
// Those who may act get a Pause/Resume per row and the bulk bar (every run the filters match).
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'wouter';
import { useSession } from '../app/auth/session-context.js';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { PlusIcon } from '../ui/icons.js';
import { useNow, useRunChanges } from './live.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { LiveIndicator, RunId } from './RunBits.js';
import { countdown, relativeTime } from '../ui/time.js';
import { absoluteTime, WAIT_KIND_LABELS } from './run-format.js';
import { RUN_STATUSES, type RunRow } from './run-types.js';
import { FILTER_KEYS, RunsFilters, type FilterKey } from './RunsFilters.js';
import { useNodeLabels, waitPhrase, type NodeLabeler } from './node-labels.js';
import { StartRunDialog } from './StartRunDialog.js';
import { BulkActionBar } from './BulkActionBar.js';
import { PauseResumeButton } from './RunOperatorControls.js';
import { ToastStack, useToasts } from '../ui/Toasts.js';
import './runs-shared.css';
import './status-chips.css';
import './runs-list.css';

const PAGE_SIZE = 25;

export function RunsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const { canEditWorkflows } = useSession();
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ''])) as Record<FilterKey, string>;
  const filterKey = FILTER_KEYS.map((key) => filters[key]).join('|');
  const [pages, setPages] = useState<{ key: string; cursors: string[] }>({ key: filterKey, cursors: [] });
  const cursors = pages.key === filterKey ? pages.cursors : [];
  const [starting, setStarting] = useState(false);
  const now = useNow(1_000);
  const { toasts, push, dismiss } = useToasts();

  useEffect(() => {
    document.title = 'Runs · Cairn';
  }, []);

  const setFilter = (key: FilterKey, value: string) => {
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        // Version and waiting node belong to a workflow.
        if (key === 'workflow') ['version', 'waitingAt'].forEach((dependent) => next.delete(dependent));
        return next;
      },
      { replace: true },
    );
  };

  const input = {
    workflow: filters.workflow || undefined,
    version: filters.version ? Number(filters.version) : undefined,
    status: filters.status || undefined,
    waitingAt: filters.waitingAt || undefined,
    cursor: cursors.at(-1),
    limit: PAGE_SIZE,
  };
  const list = useQuery({ ...trpc.runs.list.queryOptions(input), placeholderData: keepPreviousData });
  const counts = useQuery({ ...trpc.runs.counts.queryOptions({ workflow: input.workflow }), placeholderData: keepPreviousData });
  const workflows = useQuery(trpc.workflows.list.queryOptions());
  const live = useRunChanges({
    onChange: () => {
      void queryClient.invalidateQueries({ queryKey: trpc.runs.list.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.runs.counts.pathKey() });
    },
  });

  const total = counts.data ? Object.values(counts.data).reduce((sum, count) => sum + count, 0) : undefined;
  const filtered = FILTER_KEYS.some((key) => filters[key]);
  const runs = list.data?.runs ?? [];

  return (
    <main className="cairn-page cairn-page--wide" data-testid="runs-page">
      <header className="cairn-page__header">
        <div>
          <h1 className="cairn-page__title">Runs</h1>
          <p className="cairn-page__subtitle">Every run of every workflow: where it is now, what it waits on, and how it ended.</p>
        </div>
        <div className="cairn-page__actions">
          <LiveIndicator state={live} />
          {canEditWorkflows && (
            <button type="button" className="cairn-button cairn-button--primary" data-testid="start-run" onClick={() => setStarting(true)}>
              <PlusIcon /> Start run
            </button>
          )}
        </div>
      </header>

      <nav className="cairn-status-chips" aria-label="Runs by status">
        <button type="button" className={`cairn-status-chip${filters.status ? '' : ' cairn-status-chip--active'}`} aria-pressed={!filters.status} onClick={() => setFilter('status', '')} data-testid="status-count-all">
          All <span className="cairn-status-chip__count">{total ?? '…'}</span>
        </button>
        {RUN_STATUSES.map((status) => (
          <button
            key={status}
            type="button"
            className={`cairn-status-chip cairn-status-chip--${status}${filters.status === status ? ' cairn-status-chip--active' : ''}`}
            aria-pressed={filters.status === status}
            onClick={() => setFilter('status', filters.status === status ? '' : status)}
            data-testid={`status-count-${status}`}
          >
            <span className="cairn-status-chip__dot" aria-hidden="true" />
            {status[0].toUpperCase() + status.slice(1)} <span className="cairn-status-chip__count">{counts.data ? (counts.data[status] ?? 0) : '…'}</span>
          </button>
        ))}
      </nav>

      <section className="cairn-card" aria-label="Runs">
        <RunsFilters filters={filters} workflows={workflows.data ?? []} onChange={setFilter} onClear={() => setParams(new URLSearchParams(), { replace: true })} filtered={filtered} />
        {canEditWorkflows && <BulkActionBar filters={filters} workflows={workflows.data ?? []} />}
        {list.isError ? (
          <div className="cairn-runs__error">
            <ErrorNotice report={describeError(list.error)} testId="runs-error" />
            <button type="button" className="cairn-button cairn-button--small" onClick={() => void list.refetch()}>
              Try again
            </button>
          </div>
        ) : (
          <RunsTable runs={runs} loading={list.isPending} now={now} filtered={filtered} canStart={canEditWorkflows} onStart={() => setStarting(true)} onOpen={(run) => navigate(`/runs/${run.id}`)} onTell={canEditWorkflows ? push : undefined} />
        )}
        {(cursors.length > 0 || list.data?.nextCursor) && (
          <footer className="cairn-runs__pager">
            <span className="cairn-muted">
              Page {cursors.length + 1}
              {list.isFetching && !list.isPending ? ' · updating…' : ''}
            </span>
            <button type="button" className="cairn-button cairn-button--small" disabled={cursors.length === 0} onClick={() => setPages({ key: filterKey, cursors: cursors.slice(0, -1) })} data-testid="runs-newer">
              ← Newer
            </button>
            <button type="button" className="cairn-button cairn-button--small" disabled={!list.data?.nextCursor || list.isPlaceholderData} onClick={() => list.data?.nextCursor && setPages({ key: filterKey, cursors: [...cursors, list.data.nextCursor] })} data-testid="runs-older">
              Older →
            </button>
          </footer>
        )}
      </section>
      {starting && <StartRunDialog workflow={filters.workflow || undefined} onClose={() => setStarting(false)} />}
      <ToastStack toasts={toasts} onDismiss={dismiss} />
    </main>
  );
}

/** `onTell`: where a row's pause or resume reports (absent: no pause/resume column, for those who may not). */
function RunsTable(props: { runs: RunRow[]; loading: boolean; now: number; filtered: boolean; canStart: boolean; onStart(): void; onOpen(run: RunRow): void; onTell?: (tone: 'ok' | 'danger', message: string) => void }) {
  const { onTell } = props;
  const { runs, now } = props;
  const label = useNodeLabels(runs);
  return (
    <table className="cairn-table cairn-runs-table" data-testid="runs-table">
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Workflow</th>
          <th scope="col">Version</th>
          <th scope="col">Status</th>
          <th scope="col">Waiting on</th>
          <th scope="col">Started</th>
          <th scope="col">Updated</th>
          {onTell && <th scope="col" className="cairn-runs-table__act"><span className="cairn-visually-hidden">Pause or resume</span></th>}
        </tr>
      </thead>
      <tbody>
        {props.loading &&
          [0, 1, 2, 3].map((row) => (
            <tr key={row} aria-hidden="true">
              {[60, 70, 30, 50, 60, 40, 40, ...(onTell ? [0] : [])].map((width, cell) => (
                <td key={cell}>
                  <span className="cairn-skeleton" style={{ width: `${width}%` }} />
                </td>
              ))}
            </tr>
          ))}
        {runs.map((run) => (
          <tr
            key={run.id}
            className="cairn-table__row"
            data-testid={`run-row-${run.id}`}
            onClick={(event) => {
              if (!(event.target as Element).closest('a, button')) props.onOpen(run);
            }}
          >
            <td>
              <Link href={`/runs/${run.id}`} className="cairn-table__name" aria-label={`Run ${run.id}`}>
                <RunId id={run.id} />
              </Link>
            </td>
            <td className="cairn-runs-table__workflow">{run.workflow}</td>
            <td>
              <span className="cairn-version">v{run.version}</span>
            </td>
            <td>
              <StatusBadge status={run.status} of="run" />
            </td>
            <td>
              <WaitingCell run={run} now={now} label={label} />
            </td>
            <td>
              <time dateTime={run.createdAt} title={absoluteTime(run.createdAt)} className="cairn-muted">
                {relativeTime(run.createdAt, now)}
              </time>
            </td>
            <td>
              <time dateTime={run.updatedAt} title={absoluteTime(run.updatedAt)} className="cairn-muted">
                {relativeTime(run.updatedAt, now)}
              </time>
            </td>
            {onTell && (
              <td className="cairn-runs-table__act">
                <PauseResumeButton run={run} small onDone={(message) => onTell('ok', message)} onError={(message) => onTell('danger', message)} />
              </td>
            )}
          </tr>
        ))}
        {!props.loading && runs.length === 0 && (
          <tr>
            <td colSpan={onTell ? 8 : 7} className="cairn-table__empty" data-testid="runs-empty">
              {props.filtered ? (
                'No run matches these filters.'
              ) : (
                <div className="cairn-runs__empty">
                  <strong>No runs yet</strong>
                  <span>Start one from a published workflow; it shows up here as it runs.</span>
                  {props.canStart && (
                    <button type="button" className="cairn-button cairn-button--primary cairn-button--small" onClick={props.onStart}>
                      <PlusIcon /> Start run
                    </button>
                  )}
                </div>
              )}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function WaitingCell({ run, now, label }: { run: RunRow; now: number; label: NodeLabeler }) {
  const waits = run.waitingOn as { nodeId: string; kind: string; until?: string; on?: string }[];
  if (run.status === 'failed') {
    const error = run.error as { message?: string; nodeId?: string; code?: string } | null;
    // Runs the engine stopped itself (not the workflow's own failure) are what an operator looks for.
    const stoppedByEngine = error?.code === 'QUARANTINED' || error?.code === 'ENGINE_ERROR';
    return (
      <span className="cairn-runs-table__error" title={error?.message}>
        {stoppedByEngine ? <span className="cairn-badge cairn-badge--danger" data-testid="run-stopped-by-engine">{error?.code === 'QUARANTINED' ? 'quarantined' : 'engine error'}</span> : null}{' '}
        {error?.nodeId ? (
          <span className="cairn-node-chip cairn-node-chip--failed" title={`node ${error.nodeId}`} data-testid="run-row-node">
            {label(run, error.nodeId)}
          </span>
        ) : null}{' '}
        {error?.message}
      </span>
    );
  }
  if (run.status === 'queued') return <span className="cairn-muted">its turn under the concurrency limit</span>;
  if (waits.length === 0) return <span className="cairn-subtle">—</span>;
  return (
    <div className="cairn-waits">
      {waits.map((wait, index) => {
        const left = wait.until ? countdown(wait.until, now) : null;
        const name = label(run, wait.nodeId);
        const phrase = waitPhrase(name, WAIT_KIND_LABELS[wait.kind] ?? wait.kind);
        return (
          <span key={index} className="cairn-waits__item">
            <span className="cairn-node-chip" title={`node ${wait.nodeId}`} data-testid="run-row-node">
              {name}
            </span>
            {phrase && <span className="cairn-muted">{phrase}</span>}
            {left && (
              <span className={left.overdue ? 'cairn-countdown cairn-countdown--due' : 'cairn-countdown'} title={`until ${absoluteTime(wait.until!)}`}>
                {left.text}
              </span>
            )}
          </span>
        );
      })}
    </div>
  );
}
