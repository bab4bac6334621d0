// A workflow's concurrency limit on its versions page: how many runs are in flight and queued, the
// limit, and (for those who may edit the workflow) a dialog to set or clear it. Raising or clearing
// the limit admits queued runs at once; the server checks the number again.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { Dialog, Field } from '../ui/Dialog.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import './drain.css';

/** The server's bound (services/operations.service.ts); the input stops there too. */
const MAX_LIMIT = 100_000;

export function ConcurrencyLimit({ slug, canEdit }: { slug: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const [editing, setEditing] = useState(false);
  const state = useQuery(trpc.operations.concurrency.queryOptions({ slug }));
  if (state.isError) return <ErrorNotice report={describeError(state.error)} testId="concurrency-error" />;
  const data = state.data;
  return (
    <section className="cairn-card cairn-concurrency" aria-label="Concurrency limit" data-testid="concurrency">
      <div className="cairn-concurrency__facts">
        <span className="cairn-concurrency__label">Concurrency limit</span>
        <strong data-testid="concurrency-limit">{data ? (data.limit === null ? 'No limit' : `${data.limit.toLocaleString('en')} in flight`) : '…'}</strong>
        {data && (
          <span className="cairn-muted" data-testid="concurrency-now">
            {data.inFlight.toLocaleString('en')} in flight now · {data.queued.toLocaleString('en')} queued
          </span>
        )}
      </div>
      <p className="cairn-concurrency__hint">Runs count while pending, running, waiting or paused. Runs started beyond the limit are queued and start in order as others finish.</p>
      {canEdit && (
        <button type="button" className="cairn-button cairn-button--small" disabled={!data} onClick={() => setEditing(true)} data-testid="concurrency-edit">
          {data?.limit === null ? 'Set a limit' : 'Change'}
        </button>
      )}
      {editing && data && <LimitDialog slug={slug} current={data.limit} onClose={() => setEditing(false)} />}
    </section>
  );
}

function LimitDialog({ slug, current, onClose }: { slug: string; current: number | null; onClose(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState(current === null ? '' : String(current));
  const set = useMutation(
    trpc.operations.setConcurrency.mutationOptions({
      onSuccess: (state) => {
        queryClient.setQueryData(trpc.operations.concurrency.queryKey({ slug }), state);
        void queryClient.invalidateQueries({ queryKey: trpc.workflows.versions.queryKey({ slug }) });
        onClose();
      },
    }),
  );
  const trimmed = text.trim();
  const limit = trimmed === '' ? null : Number(trimmed);
  const problem = limit !== null && (!/^\d+$/.test(trimmed) || limit < 1 || limit > MAX_LIMIT) ? `A whole number from 1 to ${MAX_LIMIT.toLocaleString('en')}, or empty for no limit` : null;
  return (
    <Dialog
      title="Concurrency limit"
      description="At most this many runs of the workflow in flight at once (all versions). Lowering it stops no run; it only queues new ones."
      submitLabel={limit === null ? 'Remove the limit' : 'Save limit'}
      busyLabel="Saving…"
      busy={set.isPending}
      canSubmit={!problem}
      error={set.error ? describeError(set.error) : null}
      testId="concurrency-dialog"
      onClose={onClose}
      onSubmit={() => set.mutate({ slug, limit })}
    >
      <Field label="Runs in flight at most" hint="Empty: no limit." error={problem}>
        {({ id, describedBy, invalid }) => (
          <input id={id} className="cairn-input" inputMode="numeric" aria-describedby={describedBy} aria-invalid={invalid} value={text} onChange={(event) => setText(event.target.value)} placeholder="No limit" data-testid="concurrency-input" data-autofocus />
        )}
      </Field>
    </Dialog>
  );
}
