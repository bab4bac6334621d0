// A bulk job's progress in the runs list's bulk bar, read from the server while it is under way: how
// many of its runs are done, how many were skipped (with a sample of why), and how it ended.
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { BULK_WORDS } from './bulk-words.js';
import type { BulkJob } from './run-types.js';

/** A job does 25 runs a batch, several batches a second: twice a second shows it move without flooding. */
const POLL_MS = 500;

const underWay = (job: BulkJob | undefined) => !job || job.status === 'queued' || job.status === 'running';

export function BulkJobProgress({ jobId, onDismiss }: { jobId: string; onDismiss(): void }) {
  const trpc = useTRPC();
  const job = useQuery({ ...trpc.operations.bulk.get.queryOptions({ id: jobId }), refetchInterval: (query) => (underWay(query.state.data) ? POLL_MS : false) });
  if (job.isError) return <ErrorNotice report={describeError(job.error)} testId="bulk-progress-error" />;
  if (!job.data) return <p className="cairn-muted cairn-bulk__progress">Reading the job…</p>;
  const { action, status, total, processed, succeeded, skipped } = job.data;
  const words = BULK_WORDS[action];
  const running = underWay(job.data);
  const share = total === 0 ? 1 : Math.min(processed / total, 1);
  const sample = (job.data.notes as { skipped?: { runId: string; reason: string }[] } | null)?.skipped ?? [];
  const runs = (n: number) => `${n.toLocaleString('en')} run${n === 1 ? '' : 's'}`;

  return (
    <section className={`cairn-bulk__progress cairn-bulk__progress--${status}`} aria-label="Bulk job" data-testid="bulk-progress" data-status={status}>
      <div className="cairn-bulk__progress-head">
        <p className="cairn-bulk__progress-title" aria-live="polite" data-testid="bulk-progress-text">
          {status === 'failed'
            ? `${words.doing} stopped with an error after ${processed.toLocaleString('en')} of ${runs(total)}; the server’s log says why`
            : running
              ? `${words.doing} ${runs(total)}: ${processed.toLocaleString('en')} done`
              : `${words.done} ${runs(succeeded)}${skipped ? `; ${skipped.toLocaleString('en')} skipped` : ''}`}
        </p>
        {!running && (
          <button type="button" className="cairn-button cairn-button--ghost cairn-button--small" onClick={onDismiss} data-testid="bulk-dismiss">
            Dismiss
          </button>
        )}
      </div>
      <div className="cairn-bulk__bar" role="progressbar" aria-label={`${words.doing} runs`} aria-valuemin={0} aria-valuemax={total} aria-valuenow={processed}>
        <span className="cairn-bulk__bar-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </div>
      <p className="cairn-bulk__progress-counts" data-testid="bulk-progress-counts">
        {processed.toLocaleString('en')} of {total.toLocaleString('en')} · {succeeded.toLocaleString('en')} {words.done.toLowerCase()} · {skipped.toLocaleString('en')} skipped
      </p>
      {sample.length > 0 && (
        <details className="cairn-bulk__skipped">
          <summary>Why runs were skipped{skipped > sample.length ? ` (the first ${sample.length})` : ''}</summary>
          <ul>
            {sample.map((entry) => (
              <li key={entry.runId}>{entry.reason}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
