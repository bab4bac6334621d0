// The runs list's bulk actions: cancel, retry, pause or resume every run the list's filters match.
// Choosing one opens a confirmation with the server's preview of how many runs it touches; confirming
// sends that count (a filter that has come to match another number is refused, and the new count is
// shown), and the durable job's progress follows in the bar until it ends (BulkJobProgress).
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { BulkAction, BulkFilter } from './run-types.js';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { BulkJobProgress } from './BulkJobProgress.js';
import { BULK_WORDS } from './bulk-words.js';
import type { FilterKey } from './RunsFilters.js';
import './bulk.css';

const ACTIONS: BulkAction[] = ['cancel', 'retry', 'pause', 'resume'];

/** The list's filters (as the URL holds them) as the server's bulk filter, and in words for the confirmation. */
function bulkFilterOf(filters: Record<FilterKey, string>, workflows: readonly { slug: string; name: string }[]): { filter: BulkFilter; words: string[] } {
  const filter: BulkFilter = {
    workflow: filters.workflow || undefined,
    version: filters.version ? Number(filters.version) : undefined,
    // Any text the URL holds: the preview names a status the server does not know.
    status: (filters.status || undefined) as BulkFilter['status'],
    waitingAt: filters.waitingAt || undefined,
  };
  const words = [
    filters.workflow && `Workflow: ${workflows.find((workflow) => workflow.slug === filters.workflow)?.name ?? filters.workflow}`,
    filters.version && `Version: v${filters.version}`,
    filters.status && `Status: ${filters.status}`,
    filters.waitingAt && `Waiting at: ${filters.waitingAt}`,
  ].filter((line): line is string => Boolean(line));
  return { filter, words };
}

export function BulkActionBar(props: { filters: Record<FilterKey, string>; workflows: readonly { slug: string; name: string }[] }) {
  const { filter, words: filterWords } = bulkFilterOf(props.filters, props.workflows);
  const trpc = useTRPC();
  const [action, setAction] = useState<BulkAction | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  // A job still under way when the page opened (started elsewhere, or before a restart) is shown too.
  const jobs = useQuery({ ...trpc.operations.bulk.list.queryOptions(), staleTime: Infinity });
  const underWay = jobs.data?.find((job) => job.status === 'queued' || job.status === 'running')?.id;
  const shown = jobId ?? (underWay !== dismissed ? underWay : undefined);

  return (
    <div className="cairn-bulk" role="group" aria-label="Bulk actions" data-testid="bulk-bar">
      <div className="cairn-bulk__row">
        <span className="cairn-bulk__lead">
          Act on <strong>{filterWords.length ? 'every run matching these filters' : 'every run'}</strong>
        </span>
        <div className="cairn-bulk__actions">
          {ACTIONS.map((each) => (
            <button key={each} type="button" className={`cairn-button cairn-button--small${each === 'cancel' ? ' cairn-button--danger-outline' : ''}`} onClick={() => setAction(each)} data-testid={`bulk-${each}`}>
              {BULK_WORDS[each].verb}…
            </button>
          ))}
        </div>
      </div>
      {shown && (
        <BulkJobProgress
          key={shown}
          jobId={shown}
          onDismiss={() => {
            setDismissed(shown);
            setJobId(null);
          }}
        />
      )}
      {action && (
        <BulkConfirmDialog
          action={action}
          filter={filter}
          filterWords={filterWords}
          onClose={() => setAction(null)}
          onStarted={(id) => {
            setAction(null);
            setJobId(id);
          }}
        />
      )}
    </div>
  );
}

function BulkConfirmDialog(props: { action: BulkAction; filter: BulkFilter; filterWords: string[]; onClose(): void; onStarted(jobId: string): void }) {
  const { action, filter } = props;
  const trpc = useTRPC();
  const words = BULK_WORDS[action];
  // Always asked afresh: the count confirmed must be the count now.
  const preview = useQuery({ ...trpc.operations.bulk.preview.queryOptions({ action, filter }), staleTime: 0, gcTime: 0 });
  const start = useMutation(
    trpc.operations.bulk.start.mutationOptions({
      onSuccess: (job) => props.onStarted(job.id),
      // The filter matches another number now: show the new count, to be confirmed again.
      onError: (error) => describeError(error).code === 'CONFLICT' && void preview.refetch(),
    }),
  );
  const count = preview.data?.count;
  const runs = (n: number) => `${n.toLocaleString('en')} run${n === 1 ? '' : 's'}`;
  return (
    <Dialog
      title={`${words.verb} every matching run?`}
      description={words.note}
      // Beside "Cancel 150 runs", a button that says "Cancel" would read as the same thing.
      closeLabel={action === 'cancel' ? 'Don’t cancel' : 'Close'}
      submitLabel={count === undefined ? words.verb : count === 0 ? 'Nothing to do' : `${words.verb} ${runs(count)}`}
      busyLabel="Starting…"
      tone={action === 'cancel' ? 'danger' : 'primary'}
      busy={start.isPending}
      canSubmit={count !== undefined && count > 0 && !preview.isFetching}
      error={start.error ? describeError(start.error) : null}
      testId="bulk-dialog"
      onClose={props.onClose}
      onSubmit={() => count !== undefined && start.mutate({ action, filter, expectedCount: count })}
    >
      <div className="cairn-bulk__preview">
        {preview.isError ? (
          <ErrorNotice report={describeError(preview.error)} testId="bulk-preview-error" />
        ) : (
          <p className="cairn-bulk__count" aria-live="polite">
            <strong data-testid="bulk-preview-count">{count === undefined ? '…' : count.toLocaleString('en')}</strong> {count === 1 ? 'run matches' : 'runs match'}
          </p>
        )}
        <ul className="cairn-bulk__filter" aria-label="Filters">
          {props.filterWords.length ? props.filterWords.map((line) => <li key={line}>{line}</li>) : <li className="cairn-bulk__everything">No filter: every run of every workflow</li>}
        </ul>
        <p className="cairn-field__hint">Runs started from now on are not touched. It runs on the server in batches; you can leave this page.</p>
      </div>
    </Dialog>
  );
}
