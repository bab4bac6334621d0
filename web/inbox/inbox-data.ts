// The inbox's data: task types as the API returns them, the inbox's views and addresses, the one live
// subscription (mounted with the nav badge) that refetches every approvals query when tasks change,
// and a one-shot message carried from a decision back to the inbox list.
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useTRPC, type AppRouter } from '../app/trpc.js';
import { useThrottled } from '../app/use-throttled.js';

export type Task = inferRouterOutputs<AppRouter>['approvals']['get'];
export type TaskStatus = Task['status'];
/** A row of an inbox page: a task with who has claimed it. */
export type InboxTask = inferRouterOutputs<AppRouter>['inbox']['page']['tasks'][number];
export type InboxCounts = inferRouterOutputs<AppRouter>['inbox']['counts'];

/**
 * Mine: named to me (or to whom I stand in for) or claimed by me; roles: through one of my roles;
 * decided: what I decided; all: every pending task (admins only; the server refuses others).
 */
export type InboxTab = 'mine' | 'roles' | 'decided' | 'all';
export const INBOX_TABS: readonly InboxTab[] = ['mine', 'roles', 'decided', 'all'];

/** The tab an address names: ?tab=…, or the older ?tab=decided / ?scope=all; undefined: choose one. */
export function tabOf(search: string): InboxTab | undefined {
  const params = new URLSearchParams(search);
  const tab = params.get('tab');
  if (tab && (INBOX_TABS as readonly string[]).includes(tab)) return tab as InboxTab;
  if (params.get('scope') === 'all') return 'all';
  return undefined;
}

/** The inbox's address for a tab (and a page after the first). */
export function inboxHref(view: { tab: InboxTab; page?: number }): string {
  const params = new URLSearchParams({ tab: view.tab });
  if (view.page && view.page > 1) params.set('page', String(view.page));
  return `/inbox?${params.toString()}`;
}

/** Task ids hold ':' (run:node:visit); they travel in the path encoded. */
export const taskHref = (taskId: string) => `/inbox/${encodeURIComponent(taskId)}`;

export function decodeTaskId(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}

/** How often, at most, task changes refetch the approvals queries. */
export const APPROVALS_REFRESH_MS = 500;

/**
 * Refetch every approvals query (badge, lists, open task) when the server says tasks changed, at
 * most once per APPROVALS_REFRESH_MS. Unthrottled, 10,000 tasks created at once made an open page
 * send thousands of `inbox.counts` reads, which kept the server busy for seconds after the burst.
 */
export function useApprovalsLive(enabled: boolean): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = useThrottled(() => {
    void queryClient.invalidateQueries(trpc.approvals.pathFilter());
    void queryClient.invalidateQueries(trpc.inbox.pathFilter());
  }, APPROVALS_REFRESH_MS);
  useSubscription(trpc.approvals.onChange.subscriptionOptions(undefined, { enabled, onData: refresh }));
}

export const STATUS_LABEL: Record<TaskStatus, string> = { pending: 'Pending', approved: 'Approved', rejected: 'Rejected', timed_out: 'Timed out', cancelled: 'Cancelled' };

/** Who a task is assigned to, in words: "ada, role manager". */
export function assigneesText(assignees: Task['assignees']): string {
  const parts = [...assignees.users, ...assignees.roles.map((role) => `role ${role}`)];
  return parts.length ? parts.join(', ') : 'nobody (admins only)';
}

let lastInbox = '/inbox';

/** The inbox view the user came from (tab and scope), for the task page's way back. */
export const rememberInboxView = (href: string) => void (lastInbox = href);
export const lastInboxView = () => lastInbox;

let flash: string | null = null;

/** A message for the inbox list to show once, e.g. after a decision sent the user back to it. */
export function setInboxFlash(message: string): void {
  flash = message;
}

export function takeInboxFlash(): string | null {
  const message = flash;
  flash = null;
  return message;
}

/** The current time, re-read every `everyMs` so "due in …" stays true while a page is open. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
