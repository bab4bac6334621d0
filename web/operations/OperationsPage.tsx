// The Operations page (issue 18): throughput, failures and retries over time, timer lag, the oldest
// pending approval and runs by state — charts of the server's metrics, sampled while the page is open
// and refreshed live by polling (every sample interval the server names).
import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { TimeChart } from './TimeChart.js';
import { formatAge, meanLag, perMinute, STATES } from './operations-series.js';
import './operations.css';

export function OperationsPage() {
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.monitor.overview.queryOptions(), refetchInterval: (query) => query.state.data?.everyMs ?? 2_000 });
  useEffect(() => {
    document.title = 'Operations · Cairn';
  }, []);
  const samples = overview.data?.samples ?? [];
  const times = samples.map((sample) => sample.at);
  const latest = samples.at(-1);

  return (
    <main className="cairn-page cairn-page--wide" data-testid="operations-page">
      <header className="cairn-page__header">
        <div>
          <h1 className="cairn-page__title">Operations</h1>
          <p className="cairn-page__subtitle">What the engine is doing now: runs started and ended, failures, retries, timers and approvals.</p>
        </div>
        <p className="cairn-muted cairn-ops-updated" data-testid="ops-updated" aria-live="polite">
          {latest ? `Updated ${new Date(latest.at).toLocaleTimeString()} · ${samples.length} samples` : 'Waiting for the first sample…'}
        </p>
      </header>
      {overview.error && <ErrorNotice report={describeError(overview.error)} testId="ops-error" />}
      {latest && (
        <>
          <section className="cairn-ops-figures" aria-label="Now">
            <Figure label="Timer backlog" value={String(latest.timerBacklog)} testId="ops-backlog" />
            <Figure label="Pending approvals" value={String(latest.pendingApprovals)} testId="ops-pending" />
            <Figure label="Oldest pending approval" value={formatAge(latest.oldestPendingApprovalSeconds)} testId="ops-oldest-approval" />
            <Figure label="Runs started (this process)" value={String(latest.started)} testId="ops-started" />
          </section>
          <div className="cairn-ops-grid">
            <TimeChart
              title="Throughput (runs per minute)"
              unit="runs/min"
              testId="ops-chart-throughput"
              times={times}
              series={[
                { label: 'started', token: '--cairn-accent', values: perMinute(samples, 'started') },
                { label: 'completed', token: '--cairn-ok', values: perMinute(samples, 'completed') },
              ]}
            />
            <TimeChart
              title="Failures and retries (per minute)"
              unit="per min"
              testId="ops-chart-failures"
              times={times}
              series={[
                { label: 'runs failed', token: '--cairn-danger', values: perMinute(samples, 'failed') },
                { label: 'attempts failed', token: '--cairn-warning-solid', values: perMinute(samples, 'attemptsFailed') },
                { label: 'retries', token: '--cairn-info-text', values: perMinute(samples, 'retries') },
              ]}
            />
            <TimeChart title="Timer lag (mean, seconds)" unit="s" testId="ops-chart-lag" times={times} series={[{ label: 'fired − due', token: '--cairn-warning', values: meanLag(samples) }]} />
            <TimeChart
              title="Oldest pending approval (minutes)"
              unit="min"
              testId="ops-chart-approval"
              times={times}
              series={[{ label: 'age', token: '--cairn-accent-text', values: samples.map((sample) => sample.oldestPendingApprovalSeconds / 60) }]}
            />
          </div>
          <section className="cairn-card cairn-ops-states" data-testid="ops-states" aria-label="Runs by state">
            <h2 className="cairn-ops-chart__title">Runs by state</h2>
            <StateBars counts={latest.runsByStatus} />
          </section>
        </>
      )}
    </main>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="cairn-card cairn-ops-figure">
      <span className="cairn-ops-figure__label">{label}</span>
      <strong className="cairn-ops-figure__value" data-testid={testId}>
        {value}
      </strong>
    </div>
  );
}

function StateBars({ counts }: { counts: Record<string, number> }) {
  const largest = Math.max(1, ...Object.values(counts));
  return (
    <ul className="cairn-ops-bars">
      {STATES.map((state) => (
        <li key={state} className="cairn-ops-bars__row" data-testid={`ops-state-${state}`}>
          <span className="cairn-ops-bars__label">{state}</span>
          <span className="cairn-ops-bars__track">
            <span className={`cairn-ops-bars__bar cairn-ops-bars__bar--${state}`} style={{ width: `${((counts[state] ?? 0) / largest) * 100}%` }} />
          </span>
          <span className="cairn-ops-bars__count">{counts[state] ?? 0}</span>
        </li>
      ))}
    </ul>
  );
}
