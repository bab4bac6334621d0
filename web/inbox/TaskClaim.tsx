// On a pending task's page: who is handling it (a claim, as the inbox shows it), with Claim, or
// Release for its holder or an admin. A claim tells the others; it does not stop them deciding.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/auth/session-context.js';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { dateTimeText } from '../ui/time.js';
import './inbox-bulk.css';

export function TaskClaim({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { principal } = useSession();
  const claim = useQuery(trpc.inbox.claimOf.queryOptions({ id: taskId }));
  const refresh = () => void queryClient.invalidateQueries(trpc.inbox.pathFilter());
  const take = useMutation(trpc.inbox.claim.mutationOptions({ onSettled: refresh }));
  const release = useMutation(trpc.inbox.unclaim.mutationOptions({ onSettled: refresh }));
  if (!claim.data) return null;
  const holder = claim.data.claimedBy;
  const mine = holder === principal.name;
  const error = take.error ?? release.error;
  return (
    <span className="cairn-task-claim" data-testid="task-claim-line">
      {holder ? (
        <span title={claim.data.claimedAt ? `Since ${dateTimeText(claim.data.claimedAt)}` : undefined} data-testid="task-claim-holder">
          {mine ? 'You are handling this task' : `${holder} is handling this task`}
        </span>
      ) : (
        <span className="cairn-muted">Nobody is handling this task yet</span>
      )}
      {!holder && (
        <button type="button" className="cairn-inbox-claim" disabled={take.isPending} onClick={() => take.mutate({ id: taskId })} data-testid="task-page-claim">
          Claim
        </button>
      )}
      {holder && (mine || principal.roles.includes('admin')) && (
        <button type="button" className="cairn-inbox-claim" disabled={release.isPending} onClick={() => release.mutate({ id: taskId })} data-testid="task-page-unclaim">
          Release
        </button>
      )}
      {error && (
        <span className="cairn-task-claim__error" role="alert" data-testid="task-claim-error">
          {describeError(error).message}
        </span>
      )}
    </span>
  );
}
