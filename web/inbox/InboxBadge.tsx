// The count of my pending approvals on the "Inbox" nav link. It also holds the app's one approvals
// subscription, since the top bar is always mounted: every change refetches every approvals query.
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { useApprovalsLive } from './inbox-data.js';
import './inbox-badge.css';

export function InboxBadge() {
  const trpc = useTRPC();
  // Everyone signed in has an inbox: the tasks assigned to them or one of their roles.
  useApprovalsLive(true);
  const pending = useQuery(trpc.approvals.list.queryOptions({ status: 'pending', scope: 'mine' }));
  const count = pending.data?.length ?? 0;
  if (count === 0) return null;
  return (
    <span className="cairn-inbox-badge" data-testid="inbox-badge" aria-label={`${count} pending approval${count === 1 ? '' : 's'}`}>
      {count > 99 ? '99+' : count}
    </span>
  );
}
