// Deciding the selected tasks at once: one decision and one comment, sent as one request; the server
// decides each task on its own (its rule, its quorum, its audit entry), and the answer lists what was
// refused and why. Refused tasks stay selected, so they can be opened and looked at.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useTRPC, type AppRouter } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';

export type BulkOutcome = inferRouterOutputs<AppRouter>['inbox']['decideMany'] & { decision: 'approve' | 'reject'; titles: ReadonlyMap<string, string> };

interface Props {
  ids: string[];
  titles: ReadonlyMap<string, string>;
  onResult(outcome: BulkOutcome): void;
  onClear(): void;
}

export function BulkBar({ ids, titles, onResult, onClear }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const decide = useMutation(
    trpc.inbox.decideMany.mutationOptions({
      onSuccess: (outcome, request) => {
        onResult({ ...outcome, decision: request.decision, titles });
        setComment('');
        void queryClient.invalidateQueries(trpc.inbox.pathFilter());
        void queryClient.invalidateQueries(trpc.approvals.pathFilter());
      },
    }),
  );
  const send = (decision: 'approve' | 'reject') => decide.mutate({ ids, decision, ...(comment.trim() ? { comment: comment.trim() } : {}) });
  return (
    <div className="cairn-bulk" data-testid="inbox-bulk">
      <div className="cairn-bulk__row">
        <strong data-testid="inbox-bulk-count">{ids.length} selected</strong>
        <input
          className="cairn-input cairn-bulk__comment"
          placeholder="One comment for every decision (optional)"
          aria-label="Comment for every decision"
          maxLength={10_000}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          data-testid="inbox-bulk-comment"
        />
        <button type="button" className="cairn-button cairn-button--primary cairn-button--small" disabled={decide.isPending} onClick={() => send('approve')} data-testid="inbox-bulk-approve">
          {decide.isPending && decide.variables?.decision === 'approve' ? 'Approving…' : `Approve ${ids.length}`}
        </button>
        <button type="button" className="cairn-button cairn-button--danger cairn-button--small" disabled={decide.isPending} onClick={() => send('reject')} data-testid="inbox-bulk-reject">
          {decide.isPending && decide.variables?.decision === 'reject' ? 'Rejecting…' : `Reject ${ids.length}`}
        </button>
        <button type="button" className="cairn-button cairn-button--ghost cairn-button--small" disabled={decide.isPending} onClick={onClear} data-testid="inbox-bulk-clear">
          Clear
        </button>
      </div>
      {decide.isError && <ErrorNotice report={describeError(decide.error)} testId="inbox-bulk-error" />}
    </div>
  );
}

/** What the last bulk decision did: how many were decided, and each refusal with its reason. */
export function BulkResult({ outcome, onDismiss }: { outcome: BulkOutcome; onDismiss(): void }) {
  const refused = outcome.results.filter((result) => !result.ok);
  const verb = outcome.decision === 'approve' ? 'approved' : 'rejected';
  return (
    <div className={refused.length ? 'cairn-notice cairn-notice--danger cairn-bulk__result' : 'cairn-notice cairn-notice--info cairn-bulk__result'} role="status" data-testid="inbox-bulk-result">
      <div className="cairn-bulk__row">
        <span className="cairn-notice__title" data-testid="inbox-bulk-summary">
          {outcome.decided} {verb}
          {refused.length ? `, ${refused.length} refused:` : '.'}
        </span>
        <button type="button" className="cairn-button cairn-button--ghost cairn-button--small" onClick={onDismiss} data-testid="inbox-bulk-dismiss">
          Dismiss
        </button>
      </div>
      {refused.length > 0 && (
        <ul className="cairn-bulk__refusals">
          {refused.map((result) => (
            <li key={result.id} data-testid="inbox-bulk-refusal">
              <strong>{outcome.titles.get(result.id) ?? result.id}</strong>: {'message' in result ? result.message : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
