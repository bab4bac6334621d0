// The count of my pending approvals (Mine and My roles) on the "Inbox" nav link, counted on the
// server. It also holds the app's one approvals subscription, since the top bar is always mounted:
// every change refetches every approvals and inbox query.
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { useApprovalsLive } from './inbox-data.js';
import './inbox-badge.css';

export function InboxBadge() {
  const trpc = useTRPC();
  // Everyone signed in has an inbox: the tasks assigned to them or one of their roles.
  useApprovalsLive(true);
  const counts = useQuery(trpc.inbox.counts.queryOptions());
  const count = counts.data ? counts.data.mine + counts.data.roles : 0;
  if (count === 0) return null;
  return (
    <span className="cairn-inbox-badge" data-testid="inbox-badge" aria-label={`${count} pending approval${count === 1 ? '' : 's'}`}>
      {count > 99 ? '99+' : count}
    </span>
  );
}
