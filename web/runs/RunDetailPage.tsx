// One run: its graph (its own version) with the path taken, where it is now and where it failed; what
// it waits on, with a live countdown; the selected node's input and output; the history timeline;
// cancel, signal, pause/resume and retry; a paused run's hold and a queued run's place. The graph is
// read once (a version never changes); a live notice with a newer revision re-reads the run's detail,
// and the history only from the last event the page holds.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'wouter';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { retryRefusal } from '../../shared/runs/retry.js';
import { useSession } from '../app/auth/session-context.js';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { ToastStack, useToasts } from '../ui/Toasts.js';
import { useNow, useRunChanges } from './live.js';
import { NodeIOPanel } from './NodeIOPanel.js';
import { RerunFromStep } from './RerunFromStep.js';
import { CancelRunDialog, SignalDialog } from './RunActions.js';
import { PausedNotice, PauseResumeButton, QueuedNotice } from './RunOperatorControls.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { LiveIndicator } from './RunBits.js';
import { relativeTime } from '../ui/time.js';
import { absoluteTime, formatDuration, shortId } from './run-format.js';
import { RunGraph, type EdgeMark, type NodeMark } from './RunGraph.js';
import { nodeRunState, runPath } from './run-path.js';
import type { RunError } from '../../shared/runs/errors.js';
import type { HistoryEvent } from '../../shared/runs/history.js';
import { isFinished } from '../../shared/runs/status.js';
import type { RunDetail } from './run-types.js';
import { useRunHistory } from './use-run-history.js';
import { RunTimeline } from './RunTimeline.js';
import { AiAttemptsPanel } from './AiAttemptsPanel.js';
import { WaitingOnPanel } from './WaitingOnPanel.js';
import './runs-shared.css';
import './run-detail.css';

type OpenDialog = { kind: 'cancel' } | { kind: 'signal'; name?: string } | null;

export function RunDetailPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.runs.detail.queryOptions({ id }));
  const run = detail.data?.run;
  const graph = useQuery({
    ...trpc.workflows.version.queryOptions({ slug: run?.workflow ?? '', version: run?.version ?? 1 }),
    enabled: run !== undefined,
    staleTime: Infinity,
    gcTime: 30 * 60_000,
  });
  const history = useRunHistory(id, detail.data?.historyCount);
  const live = useRunChanges({
    runId: id,
    enabled: detail.isSuccess,
    heldRev: detail.data?.rev,
    onChange: () => void queryClient.invalidateQueries({ queryKey: trpc.runs.detail.queryKey({ id }) }),
  });

  useEffect(() => {
    document.title = `Run ${shortId(id)} · Cairn`;
  }, [id]);

  const failed = [detail, graph, history].find((query) => query.isError);
  if (!failed && (detail.isPending || graph.isPending || history.isPending)) {
    return (
      <main className="cairn-page cairn-page--wide" data-testid="run-detail" aria-busy="true">
        <p className="cairn-muted">Loading the run…</p>
      </main>
    );
  }
  if (failed) {
    const report = describeError(failed.error);
    return (
      <main className="cairn-page cairn-page--wide" data-testid="run-detail">
        <Breadcrumb id={id} />
        <section className="cairn-card cairn-empty">
          <h1>{report.code === 'NOT_FOUND' ? 'No such run' : 'The run could not be loaded'}</h1>
          <ErrorNotice report={report} testId="run-detail-error" />
          <div className="cairn-empty__actions">
            <Link href="/runs" className="cairn-button">
              All runs
            </Link>
            {report.code !== 'NOT_FOUND' && (
              <button type="button" className="cairn-button cairn-button--primary" onClick={() => void failed.refetch()}>
                Try again
              </button>
            )}
          </div>
        </section>
      </main>
    );
  }
  return <RunDetailView detail={detail.data!} graph={graph.data!.graph as Graph} history={history.data!} live={live} />;
}

function Breadcrumb({ id }: { id: string }) {
  return (
    <nav className="cairn-breadcrumb" aria-label="Breadcrumb">
      <Link href="/runs">Runs</Link>
      <span aria-hidden="true">/</span>
      <code title={id}>{id}</code>
    </nav>
  );
}

function RunDetailView({ detail, graph, history, live }: { detail: RunDetail; graph: Graph; history: readonly HistoryEvent[]; live: ReturnType<typeof useRunChanges> }) {
  const { run } = detail;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { canEditWorkflows } = useSession();
  const now = useNow(1_000);
  const [selected, setSelected] = useState<string | null>(null);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const { toasts, push, dismiss } = useToasts();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.runs.detail.queryKey({ id: run.id }) });
  const retry = useMutation(
    trpc.runs.retry.mutationOptions({
      onSuccess: () => {
        push('ok', 'Retrying from the node it failed at');
        refresh();
      },
      onError: (error) => push('danger', describeError(error).message),
    }),
  );

  const path = useMemo(() => runPath({ graph, history, status: run.status, waitingOn: run.waitingOn, tokens: detail.tokens, error: run.error }), [graph, history, detail, run]);
  const { nodeMarks, edgeMarks } = useMemo(() => {
    const nodeMarks: Record<string, NodeMark> = {};
    for (const node of graph.nodes) {
      const state = nodeRunState(path, node.id);
      const visits = path.visits[node.id] ?? 0;
      if (state === 'unvisited') continue;
      nodeMarks[node.id] = { state, compensated: path.compensated[node.id], ...(visits > 1 ? { badge: visits, badgeTitle: `Entered ${visits} times` } : {}) };
    }
    const edgeMarks: Record<string, EdgeMark> = {};
    for (const edge of graph.edges) if (path.takenEdges.has(edge.id)) edgeMarks[edge.id] = path.current.has(edge.target) ? 'active' : 'taken';
    return { nodeMarks, edgeMarks };
  }, [graph, path]);

  const focus = useMemo(() => {
    if (path.current.size) return [...path.current];
    if (path.failed.size || path.stopped.size) return [...path.failed, ...path.stopped];
    // Finished where it was meant to: the path it took, not only its last node (on a wide graph
    // that left the canvas half empty, the path cut off at the edge).
    return Object.keys(path.visits);
  }, [path]);
  const workflows = useQuery(trpc.workflows.list.queryOptions());
  const workflowName = workflows.data?.find((workflow) => workflow.slug === run.workflow)?.name ?? run.workflow;
  const labels = useMemo(() => new Map(graph.nodes.map((node) => [node.id, node.label || node.id])), [graph]);
  const nodeLabel = (nodeId: string) => labels.get(nodeId) ?? nodeId;
  const { error } = run;
  const finished = isFinished(run.status);
  const ended = finished ? Date.parse(run.updatedAt) : now;
  // The engine's own rule: Retry is offered only where it can help; otherwise the notice says why not.
  const noRetry = run.status === 'failed' ? retryRefusal({ status: run.status, error }) : null;

  return (
    <main className="cairn-page cairn-page--wide cairn-run-detail" data-testid="run-detail">
      <Breadcrumb id={run.id} />
      <header className="cairn-run-detail__header">
        <div className="cairn-run-detail__heading">
          <h1 className="cairn-page__title">
            <Link href={`/runs?workflow=${encodeURIComponent(run.workflow)}`} className="cairn-run-detail__workflow" title={`Runs of ${run.workflow}`}>
              {workflowName}
            </Link>
            <span className="cairn-version">v{run.version}</span>
            <StatusBadge status={run.status} of="run" testId="run-status" />
          </h1>
          <p className="cairn-run-detail__facts">
            <span title={absoluteTime(run.createdAt)}>Started {relativeTime(run.createdAt, now)}</span>
            <span>{finished ? 'Took' : run.status === 'queued' ? 'Queued for' : 'Running for'} {formatDuration(ended - Date.parse(run.createdAt))}</span>
            <span title={absoluteTime(run.updatedAt)}>Updated {relativeTime(run.updatedAt, now)}</span>
            {run.parentId && (
              <span>
                Child of <Link href={`/runs/${run.parentId}`}>run {shortId(run.parentId)}</Link>
              </span>
            )}
            <Link href={`/workflows/${run.workflow}/drain`} data-testid="run-versions-link">
              versions
            </Link>
            <Link href={`/workflows/${run.workflow}`}>editor</Link>
          </p>
        </div>
        <div className="cairn-page__actions">
          <LiveIndicator state={live} />
          {canEditWorkflows && !finished && (
            <>
              <PauseResumeButton run={run} onDone={(message) => {
                  push('ok', message);
                  refresh();
                }} onError={(message) => push('danger', message)} />
              <button type="button" className="cairn-button" onClick={() => setDialog({ kind: 'signal' })} data-testid="send-signal">
                Send signal
              </button>
              <button type="button" className="cairn-button cairn-button--danger-outline" onClick={() => setDialog({ kind: 'cancel' })} data-testid="cancel-run">
                Cancel run
              </button>
            </>
          )}
          {canEditWorkflows && run.status === 'failed' && !noRetry && error?.nodeId && (
            <button type="button" className="cairn-button cairn-button--primary" disabled={retry.isPending} title={`Run again from ${nodeLabel(error.nodeId)}`} onClick={() => retry.mutate({ id: run.id })} data-testid="retry-run">
              {retry.isPending ? 'Retrying…' : 'Retry'}
            </button>
          )}
        </div>
      </header>

      {error && (run.status === 'failed' || run.status === 'cancelled') && <RunErrorNotice status={run.status} error={error} noRetry={noRetry} nodeLabel={nodeLabel} onSelect={setSelected} />}
      {run.status === 'paused' && <PausedNotice history={history} now={now} />}
      {run.status === 'queued' && <QueuedNotice run={run} workflowName={workflowName} />}
      {!finished && run.waitingOn.length > 0 && (
        <WaitingOnPanel waits={run.waitingOn} now={now} nodeLabel={nodeLabel} onSelect={setSelected} onSignal={canEditWorkflows ? (name) => setDialog({ kind: 'signal', name }) : undefined} />
      )}

      <RerunFromStep run={run} graph={graph} history={history} selected={selected} canEdit={canEditWorkflows} nodeLabel={nodeLabel} />
      <div className="cairn-run-detail__grid">
        <section className="cairn-card cairn-run-detail__canvas" aria-label="Graph">
          <header className="cairn-card__toolbar">
            <h2 className="cairn-section-title">Path</h2>
            <ul className="cairn-legend" aria-label="Legend">
              <li className="cairn-legend__item cairn-legend__item--visited">visited</li>
              <li className="cairn-legend__item cairn-legend__item--current">here now</li>
              <li className="cairn-legend__item cairn-legend__item--failed">failed</li>
              {path.stopped.size > 0 && <li className="cairn-legend__item cairn-legend__item--stopped">stopped</li>}
              <li className="cairn-legend__item cairn-legend__item--unvisited">not reached</li>
            </ul>
          </header>
          <RunGraph graph={graph} nodeMarks={nodeMarks} edgeMarks={edgeMarks} dimUnmarked selected={selected} onSelect={setSelected} focus={focus} testId="run-graph" />
        </section>
        <NodeIOPanel detail={detail} history={history} graph={graph} path={path} nodeId={selected} onClear={() => setSelected(null)} />
      </div>

      <AiAttemptsPanel history={history} nodeLabel={nodeLabel} onSelect={setSelected} />
      <RunTimeline history={history} startedAt={run.createdAt} selected={selected} nodeLabel={nodeLabel} onSelect={setSelected} />

      {dialog?.kind === 'cancel' && (
        <CancelRunDialog
          runId={run.id}
          onClose={() => setDialog(null)}
          onDone={(compensate) => {
            setDialog(null);
            push('ok', compensate ? 'Cancel requested: compensating completed steps first' : 'Cancel requested');
            refresh();
          }}
        />
      )}
      {dialog?.kind === 'signal' && (
        <SignalDialog
          runId={run.id}
          initialName={dialog.name}
          onClose={() => setDialog(null)}
          onDone={(name) => {
            setDialog(null);
            push('ok', `Signal “${name}” sent`);
            refresh();
          }}
        />
      )}
      <ToastStack toasts={toasts} onDismiss={dismiss} />
    </main>
  );
}

function RunErrorNotice(props: { status: string; error: RunError; noRetry: string | null; nodeLabel(nodeId: string): string; onSelect(nodeId: string): void }) {
  const { status, error, noRetry, nodeLabel, onSelect } = props;
  const failed = status === 'failed';
  return (
    <div className={`cairn-notice ${failed ? 'cairn-notice--danger' : 'cairn-notice--neutral'} cairn-run-error`} role={failed ? 'alert' : undefined} data-testid="run-error">
      <p className="cairn-notice__title">
        {failed ? 'Failed' : 'Cancelled'}
        {error.nodeId && (
          <>
            {' at '}
            <button type="button" className="cairn-node-chip cairn-node-chip--button cairn-node-chip--failed" onClick={() => onSelect(error.nodeId!)}>
              {nodeLabel(error.nodeId)}
            </button>
          </>
        )}
        {error.code && error.code !== 'CANCELLED' && <code className="cairn-run-error__code">{error.code}</code>}
      </p>
      <p className="cairn-run-error__message">{error.message}</p>
      {error.compensated === true && <p>Every completed step with a compensation was compensated.</p>}
      {noRetry && (
        <p className="cairn-run-error__no-retry" data-testid="retry-unavailable">
          No retry: {noRetry}.
        </p>
      )}
      {error.compensationsFailed && error.compensationsFailed.length > 0 && (
        <ul className="cairn-notice__list">
          {error.compensationsFailed.map((failure) => (
            <li key={`${failure.nodeId}:${failure.visit}`}>
              Compensation of {nodeLabel(failure.nodeId)} failed: {failure.error.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
