// The approval inbox: tabs by the server's one rule — Mine (named to me, or claimed by me), My roles
// (through a role; claim one to take it on), Decided by me, and All (admins) — each counted and paged
// on the server, so an inbox of 50,000 tasks opens as fast as one of five. Pending tabs take claims
// and bulk decisions. Live through the approvals subscription: a task decided or claimed elsewhere
// changes the list on its own.
import { useEffect, useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useSearch } from 'wouter';
import { useSession } from '../app/auth/session-context.js';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { StonesIcon } from '../ui/icons.js';
import { ToastStack, useToasts } from '../ui/Toasts.js';
import { BulkBar, BulkResult, type BulkOutcome } from './BulkBar.js';
import { inboxHref, rememberInboxView, tabOf, takeInboxFlash, type InboxCounts, type InboxTab } from './inbox-data.js';
import { InboxTable } from './InboxTable.js';
import './inbox-list.css';
import './inbox-bulk.css';

/** Rows per page; the server cuts the page. */
export const PAGE_SIZE = 50;

const LABEL: Record<InboxTab, string> = { mine: 'Mine', roles: 'My roles', decided: 'Decided by me', all: 'All' };

const EMPTY: Record<InboxTab, { title: string; text: string }> = {
  mine: { title: 'Nothing waiting for you', text: 'Tasks that name you, that someone delegated to you, or that you claimed appear here.' },
  roles: { title: 'Nothing waiting for your roles', text: 'Tasks assigned to a role you hold appear here; claim one to show the others you are handling it.' },
  decided: { title: 'No decisions yet', text: 'The tasks you approved or rejected are listed here, newest first.' },
  all: { title: 'No approval is waiting', text: 'When any run reaches an approval, it appears here, whoever it is assigned to.' },
};

/** The tab to open when the address names none: Mine, or My roles when only that holds something. */
function defaultTab(counts: InboxCounts | undefined): InboxTab | undefined {
  if (!counts) return undefined;
  return counts.mine === 0 && counts.roles > 0 ? 'roles' : 'mine';
}

export function InboxPage() {
  const { principal } = useSession();
  const isAdmin = principal.roles.includes('admin');
  const trpc = useTRPC();
  const search = useSearch();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const counts = useQuery(trpc.inbox.counts.queryOptions());
  const asked = tabOf(search);
  // With no tab named, the counts choose one: ask for both first pages with them (one batch), not after.
  useEffect(() => {
    if (asked) return;
    for (const which of ['mine', 'roles'] as const) void queryClient.prefetchQuery(trpc.inbox.page.queryOptions({ tab: which, offset: 0, limit: PAGE_SIZE }));
  }, [asked, queryClient, trpc]);
  // Only admins have the All tab; anyone else sent there sees their own.
  const tab = asked === 'all' && !isAdmin ? 'mine' : (asked ?? defaultTab(counts.data));
  const page = Math.max(1, Math.floor(Number(new URLSearchParams(search).get('page'))) || 1);
  useEffect(() => {
    document.title = 'Inbox · Cairn';
  }, []);
  useEffect(() => {
    if (tab) rememberInboxView(inboxHref({ tab, page }));
  }, [tab, page]);
  const tabs: InboxTab[] = isAdmin ? ['mine', 'roles', 'decided', 'all'] : ['mine', 'roles', 'decided'];
  const countOf = (which: InboxTab) => (which === 'decided' ? undefined : counts.data?.[which as 'mine' | 'roles' | 'all']);

  return (
    <main className="cairn-page cairn-inbox" data-testid="inbox-page">
      <header className="cairn-page__header">
        <div>
          <h1 className="cairn-page__title">Inbox</h1>
          <p className="cairn-page__subtitle" data-testid="inbox-subtitle">
            {tab === 'all'
              ? 'Every pending approval. As an admin you may decide any of them, also those assigned to others.'
              : isAdmin
                ? 'Approvals waiting for you or one of your roles. As an admin you may also see and decide every task: choose All.'
                : 'Approvals waiting for you or one of your roles, with what you need to decide them.'}{' '}
            <Link href="/settings#delegation" data-testid="inbox-delegate">
              Away? Delegate your tasks
            </Link>
          </p>
        </div>
      </header>
      <section className="cairn-card" aria-label="Approval tasks" data-testid={`inbox-view-${tab ?? 'loading'}`}>
        <div className="cairn-card__toolbar">
          <div className="cairn-tabs" role="tablist" aria-label="Which tasks">
            {tabs.map((which) => (
              <TabButton key={which} active={tab === which} testId={`inbox-tab-${which}`} onClick={() => navigate(inboxHref({ tab: which }), { replace: true })}>
                {LABEL[which]}
                {countOf(which) !== undefined && <span className="cairn-tabs__count" data-testid={`inbox-count-${which}`}>{countOf(which)!.toLocaleString()}</span>}
              </TabButton>
            ))}
          </div>
        </div>
        {tab && <TabView key={tab} tab={tab} page={page} onPage={(next) => navigate(inboxHref({ tab, page: next }), { replace: true })} />}
      </section>
    </main>
  );
}

function TabView({ tab, page, onPage }: { tab: InboxTab; page: number; onPage(page: number): void }) {
  const trpc = useTRPC();
  const { toasts, push, dismiss } = useToasts();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const listed = useQuery({ ...trpc.inbox.page.queryOptions({ tab, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }), placeholderData: keepPreviousData });
  const pending = tab !== 'decided';

  useEffect(() => {
    const message = takeInboxFlash();
    if (message) push('ok', message);
  }, [push]);
  // What left the list (decided here or elsewhere) leaves the selection too.
  useEffect(() => {
    if (!listed.data) return;
    const shown = new Set(listed.data.tasks.map((task) => task.id));
    setSelected((current) => ([...current].every((id) => shown.has(id)) ? current : new Set([...current].filter((id) => shown.has(id)))));
  }, [listed.data]);

  const toastStack = <ToastStack toasts={toasts} onDismiss={dismiss} />;
  if (listed.isError) {
    return (
      <div className="cairn-inbox__error">
        <ErrorNotice report={describeError(listed.error)} testId="inbox-error" />
        <button type="button" className="cairn-button cairn-button--secondary cairn-button--small" onClick={() => void listed.refetch()}>
          Try again
        </button>
        {toastStack}
      </div>
    );
  }
  const data = listed.data;
  if (data && data.total === 0) {
    return (
      <div className="cairn-empty" data-testid="inbox-empty">
        <span className="cairn-empty__icon">
          <StonesIcon />
        </span>
        <h2>{EMPTY[tab].title}</h2>
        <p className="cairn-muted">{EMPTY[tab].text}</p>
        {toastStack}
      </div>
    );
  }
  const first = data ? data.offset + 1 : 0;
  const last = data ? data.offset + data.tasks.length : 0;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  return (
    <>
      {outcome && <BulkResult outcome={outcome} onDismiss={() => setOutcome(null)} />}
      {pending && selected.size > 0 && (
        <BulkBar
          ids={[...selected]}
          titles={new Map((data?.tasks ?? []).map((task) => [task.id, task.title]))}
          onResult={(result) => {
            setOutcome(result);
            // The refused stay selected; the decided leave the list.
            setSelected(new Set(result.results.filter((one) => !one.ok).map((one) => one.id)));
          }}
          onClear={() => setSelected(new Set())}
        />
      )}
      <InboxTable tab={tab} tasks={data?.tasks ?? []} loading={!data} selected={pending ? selected : undefined} onSelect={setSelected} onError={(error) => push('danger', describeError(error).message)} />
      {data && (
        <footer className="cairn-inbox__more" data-testid="inbox-pager">
          <span className="cairn-muted" data-testid="inbox-range">
            {first.toLocaleString()}–{last.toLocaleString()} of {data.total.toLocaleString()}
          </span>
          <button type="button" className="cairn-button cairn-button--small" disabled={page <= 1} onClick={() => onPage(page - 1)} data-testid="inbox-page-prev">
            Previous
          </button>
          <span className="cairn-muted">
            Page {page.toLocaleString()} of {pages.toLocaleString()}
          </span>
          <button type="button" className="cairn-button cairn-button--small" disabled={page >= pages} onClick={() => onPage(page + 1)} data-testid="inbox-page-next">
            Next
          </button>
        </footer>
      )}
      {toastStack}
    </>
  );
}

function TabButton(props: { active: boolean; testId: string; onClick(): void; children: ReactNode }) {
  return (
    <button type="button" role="tab" aria-selected={props.active} className={props.active ? 'cairn-tabs__tab cairn-tabs__tab--active' : 'cairn-tabs__tab'} data-testid={props.testId} onClick={props.onClick}>
      {props.children}
    </button>
  );
}
