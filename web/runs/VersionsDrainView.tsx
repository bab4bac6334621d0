// How a workflow's versions drain: each version's canvas with the number of runs waiting at each node
// drawn on it, and its runs per status (queued and paused among them). Active and draining versions show
// their canvas; retired ones on demand. Clicking a node lists the runs waiting there. Above them, the
// workflow's concurrency limit. Live via runs.onChange (throttled).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { useSession } from '../app/auth/session-context.js';
import { useTRPC } from '../app/trpc.js';
import { ConcurrencyLimit } from './ConcurrencyLimit.js';
import { describeError } from '../ui/api-errors.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { useRunChanges } from './live.js';
import { LiveIndicator } from './RunBits.js';
import { absoluteTime } from './run-format.js';
import { RunGraph, type NodeMark } from './RunGraph.js';
import type { VersionSummary } from './run-types.js';
import './runs-shared.css';
import './status-chips.css';
import './drain.css';

export function VersionsDrainView({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const versions = useQuery(trpc.workflows.versions.queryOptions({ slug }));
  const workflows = useQuery(trpc.workflows.list.queryOptions());
  const name = workflows.data?.find((workflow) => workflow.slug === slug)?.name ?? slug;
  const { canEditWorkflows } = useSession();
  const live = useRunChanges({
    throttleMs: 1_000,
    onChange: () => {
      void queryClient.invalidateQueries({ queryKey: trpc.workflows.versions.queryKey({ slug }) });
      void queryClient.invalidateQueries({ queryKey: trpc.operations.concurrency.queryKey({ slug }) });
    },
  });

  useEffect(() => {
    document.title = `${name} versions · Cairn`;
  }, [name]);

  return (
    <main className="cairn-page cairn-page--wide" data-testid="versions-drain">
      <nav className="cairn-breadcrumb" aria-label="Breadcrumb">
        <Link href="/">Workflows</Link>
        <span aria-hidden="true">/</span>
        <Link href={`/workflows/${slug}`}>{name}</Link>
        <span aria-hidden="true">/</span>
        <span>versions</span>
      </nav>
      <header className="cairn-page__header">
        <div>
          <h1 className="cairn-page__title">{name}: versions in flight</h1>
          <p className="cairn-page__subtitle">New runs start on the active version; the others drain as their runs finish. The number on a node is how many runs wait there.</p>
        </div>
        <div className="cairn-page__actions">
          <LiveIndicator state={live} />
          <Link href={`/runs?workflow=${encodeURIComponent(slug)}`} className="cairn-button">
            All runs
          </Link>
        </div>
      </header>
      {versions.data && versions.data.length > 0 && <ConcurrencyLimit slug={slug} canEdit={canEditWorkflows} />}
      {versions.isError && <ErrorNotice report={describeError(versions.error)} testId="drain-error" />}
      {versions.isPending && <p className="cairn-muted">Loading versions…</p>}
      {versions.data?.length === 0 && (
        <section className="cairn-card cairn-empty">
          <h2>Not published yet</h2>
          <p className="cairn-muted">Runs start on published versions. Publish “{name}” from the editor.</p>
        </section>
      )}
      <div className="cairn-drain">
        {versions.data?.map((version) => (
          <VersionCard key={version.version} slug={slug} version={version} />
        ))}
      </div>
    </main>
  );
}

function VersionCard({ slug, version }: { slug: string; version: VersionSummary }) {
  const trpc = useTRPC();
  const [, navigate] = useLocation();
  const [expanded, setExpanded] = useState(version.state !== 'retired');
  const graph = useQuery({ ...trpc.workflows.version.queryOptions({ slug, version: version.version }), enabled: expanded, staleTime: Infinity });
  const waiting = Object.values(version.waitingAt).reduce((sum, count) => sum + count, 0);
  const nodeMarks = useMemo(() => {
    const marks: Record<string, NodeMark> = {};
    for (const [nodeId, count] of Object.entries(version.waitingAt)) if (count > 0) marks[nodeId] = { state: 'current', badge: count, badgeTitle: `${count} run${count === 1 ? '' : 's'} waiting here` };
    return marks;
  }, [version.waitingAt]);
  const runsHref = (extra: Record<string, string> = {}) => `/runs?${new URLSearchParams({ workflow: slug, version: String(version.version), ...extra })}`;

  return (
    <section className={`cairn-card cairn-drain__version cairn-drain__version--${version.state}`} data-testid={`drain-version-${version.version}`}>
      <header className="cairn-drain__head">
        <h2 className="cairn-section-title">v{version.version}</h2>
        <span className={`cairn-state cairn-state--${version.state}`}>{version.state}</span>
        <span className="cairn-muted" title={absoluteTime(version.publishedAt)}>
          published {new Date(version.publishedAt).toLocaleDateString()}
          {version.note ? ` · ${version.note}` : ''}
          {/* In the header, not over the canvas (where it covered the zoom buttons). */}
          {waiting === 0 && <span data-testid={`drain-none-${version.version}`}> · no run waits on it</span>}
        </span>
        <div className="cairn-drain__counts">
          {(['queued', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'] as const).map((status) => (
            <Link key={status} href={runsHref({ status })} className={`cairn-status-chip cairn-status-chip--${status} cairn-status-chip--small`} data-testid={`drain-count-${version.version}-${status}`}>
              <span className="cairn-status-chip__dot" aria-hidden="true" />
              {status} <span className="cairn-status-chip__count">{version.runs[status]}</span>
            </Link>
          ))}
        </div>
        <button type="button" className="cairn-button cairn-button--ghost cairn-button--small" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Hide canvas' : 'Show canvas'}
        </button>
      </header>
      {expanded && (
        <div className="cairn-drain__canvas">
          {graph.data ? (
            <RunGraph graph={graph.data.graph as Graph} nodeMarks={nodeMarks} focus={Object.keys(nodeMarks)} onSelect={(nodeId) => nodeId && version.waitingAt[nodeId] && navigate(runsHref({ waitingAt: nodeId }))} testId={`drain-graph-${version.version}`} />
          ) : graph.isError ? (
            <ErrorNotice report={describeError(graph.error)} />
          ) : (
            <p className="cairn-muted cairn-drain__loading">Loading the canvas…</p>
          )}
        </div>
      )}
    </section>
  );
}
