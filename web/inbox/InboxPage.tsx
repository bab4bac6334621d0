// The approval inbox: the tasks assigned to me or one of my roles, by the server's one rule (an
// admin may switch to "All tasks": every task, which admins may see and decide). Pending ones soonest
// due first with the time left, decided ones newest first. Live through the approvals subscription:
// a task decided elsewhere leaves the pending list on its own.
import { useEffect, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearch } from 'wouter';
import { useSession } from '../app/auth/session-context.js';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { StonesIcon } from '../ui/icons.js';
import { ToastStack, useToasts } from '../ui/Toasts.js';
import { assigneesText, inboxHref, rememberInboxView, takeInboxFlash, taskHref, useNow, type InboxScope, type InboxTab, type Task } from './inbox-data.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { byDecisionTime, byDueTime, dateTimeText, relativeTime, timeLeft } from '../ui/time.js';
import './inbox-list.css';

/** Rows drawn at first, and added per "Show more": thousands of rows at once froze the page for seconds. */
const PAGE_SIZE = 50;

export function InboxPage() {
  const { principal } = useSession();
  const isAdmin = principal.roles.includes('admin');
  const params = new URLSearchParams(useSearch());
  const tab: InboxTab = params.get('tab') === 'decided' ? 'decided' : 'pending';
  // Only admins have the "All tasks" view; anyone else given ?scope=all sees their own.
  const scope: InboxScope = isAdmin && params.get('scope') === 'all' ? 'all' : 'mine';
  const [, navigate] = useLocation();
  useEffect(() => {
    document.title = 'Inbox · Cairn';
  }, []);
  useEffect(() => rememberInboxView(inboxHref({ tab, scope })), [tab, scope]);
  return (
    <main className="cairn-page cairn-inbox" data-testid="inbox-page">
      <header className="cairn-page__header">
        <div>
          <h1 className="cairn-page__title">Inbox</h1>
          <p className="cairn-page__subtitle" data-testid="inbox-subtitle">
            {!isAdmin
              ? 'Approvals waiting for you or one of your roles, with what you need to decide them.'
              : scope === 'all'
                ? 'Every approval task. As an admin you may decide any of them, also those assigned to others.'
                : 'Approvals waiting for you or one of your roles. As an admin you may also see and decide every task: choose All tasks.'}{' '}
            <Link href="/settings#delegation" data-testid="inbox-delegate">
              Away? Delegate your tasks
            </Link>
          </p>
        </div>
        {isAdmin && (
          <div className="cairn-tabs" role="group" aria-label="Whose tasks">
            <ScopeButton active={scope === 'mine'} testId="inbox-scope-mine" onClick={() => navigate(inboxHref({ tab, scope: 'mine' }), { replace: true })}>
              Assigned to me
            </ScopeButton>
            <ScopeButton active={scope === 'all'} testId="inbox-scope-all" onClick={() => navigate(inboxHref({ tab, scope: 'all' }), { replace: true })}>
              All tasks
            </ScopeButton>
          </div>
        )}
      </header>
      <InboxLists tab={tab} scope={scope} />
    </main>
  );
}

function InboxLists({ tab, scope }: { tab: InboxTab; scope: InboxScope }) {
  const trpc = useTRPC();
  const [, navigate] = useLocation();
  const now = useNow();
  const { toasts, push, dismiss } = useToasts();

  const pending = useQuery(trpc.approvals.list.queryOptions({ status: 'pending', scope }));
  const approved = useQuery({ ...trpc.approvals.list.queryOptions({ status: 'approved', scope }), enabled: tab === 'decided' });
  const rejected = useQuery({ ...trpc.approvals.list.queryOptions({ status: 'rejected', scope }), enabled: tab === 'decided' });

  useEffect(() => {
    const message = takeInboxFlash();
    if (message) push('ok', message);
  }, [push]);

  const queries = tab === 'pending' ? [pending] : [approved, rejected];
  const failed = queries.find((query) => query.isError);
  const loading = queries.some((query) => query.isPending);
  const tasks = tab === 'pending' ? byDueTime(pending.data ?? []) : byDecisionTime([...(approved.data ?? []), ...(rejected.data ?? [])]);
  const view = `${tab}:${scope}`;
  const [limit, setLimit] = useState({ view, rows: PAGE_SIZE });
  const shownRows = limit.view === view ? limit.rows : PAGE_SIZE;
  const shown = tasks.length > shownRows ? tasks.slice(0, shownRows) : tasks;
  const empty = EMPTY[scope][tab];

  return (
    <section className="cairn-card" aria-label="Approval tasks" data-testid={`inbox-view-${scope}`}>
      <div className="cairn-card__toolbar">
        <div className="cairn-tabs" role="tablist" aria-label="Which tasks">
          <TabButton active={tab === 'pending'} testId="inbox-tab-pending" onClick={() => navigate(inboxHref({ tab: 'pending', scope }), { replace: true })}>
            Pending{pending.data ? <span className="cairn-tabs__count">{pending.data.length}</span> : null}
          </TabButton>
          <TabButton active={tab === 'decided'} testId="inbox-tab-decided" onClick={() => navigate(inboxHref({ tab: 'decided', scope }), { replace: true })}>
            Decided
          </TabButton>
        </div>
        <span className="cairn-muted cairn-card__count">{loading ? 'Loading…' : `${tasks.length} task${tasks.length === 1 ? '' : 's'}`}</span>
      </div>
      {failed ? (
        <div className="cairn-inbox__error">
          <ErrorNotice report={describeError(failed.error)} testId="inbox-error" />
          <button type="button" className="cairn-button cairn-button--secondary cairn-button--small" onClick={() => queries.forEach((query) => void query.refetch())}>
            Try again
          </button>
        </div>
      ) : !loading && tasks.length === 0 ? (
        <div className="cairn-empty" data-testid="inbox-empty">
          <span className="cairn-empty__icon">
            <StonesIcon />
          </span>
          <h2>{empty.title}</h2>
          <p className="cairn-muted">{empty.text}</p>
        </div>
      ) : (
        <>
          <TaskTable tab={tab} tasks={shown} loading={loading} now={now} onOpen={(task) => navigate(taskHref(task.id))} />
          {shown.length < tasks.length && (
            <footer className="cairn-inbox__more" data-testid="inbox-more">
              <span className="cairn-muted">
                Showing {shown.length.toLocaleString()} of {tasks.length.toLocaleString()}
              </span>
              <button type="button" className="cairn-button cairn-button--small" onClick={() => setLimit({ view, rows: shownRows + PAGE_SIZE })} data-testid="inbox-show-more">
                Show {Math.min(PAGE_SIZE, tasks.length - shown.length)} more
              </button>
            </footer>
          )}
        </>
      )}
      <ToastStack toasts={toasts} onDismiss={dismiss} />
    </section>
  );
}

const EMPTY: Record<InboxScope, Record<InboxTab, { title: string; text: string }>> = {
  mine: {
    pending: { title: 'Nothing waiting for you', text: 'When a run reaches an approval assigned to you or one of your roles, it appears here.' },
    decided: { title: 'No decisions yet', text: 'Tasks you or your roles approved or rejected are listed here, newest first.' },
  },
  all: {
    pending: { title: 'No approval is waiting', text: 'When any run reaches an approval, it appears here, whoever it is assigned to.' },
    decided: { title: 'No decisions yet', text: 'Every approved or rejected task is listed here, newest first.' },
  },
};

function ScopeButton(props: { active: boolean; testId: string; onClick(): void; children: ReactNode }) {
  return (
    <button type="button" aria-pressed={props.active} className={props.active ? 'cairn-tabs__tab cairn-tabs__tab--active' : 'cairn-tabs__tab'} data-testid={props.testId} onClick={props.onClick}>
      {props.children}
    </button>
  );
}

function TabButton(props: { active: boolean; testId: string; onClick(): void; children: ReactNode }) {
  return (
    <button type="button" role="tab" aria-selected={props.active} className={props.active ? 'cairn-tabs__tab cairn-tabs__tab--active' : 'cairn-tabs__tab'} data-testid={props.testId} onClick={props.onClick}>
      {props.children}
    </button>
  );
}

function TaskTable({ tab, tasks, loading, now, onOpen }: { tab: InboxTab; tasks: Task[]; loading: boolean; now: number; onOpen(task: Task): void }) {
  return (
    <table className="cairn-table cairn-inbox-table" data-testid={`inbox-table-${tab}`}>
      <thead>
        <tr>
          <th scope="col">Task</th>
          <th scope="col">Workflow · step</th>
          <th scope="col">Assigned to</th>
          <th scope="col">{tab === 'pending' ? 'Due' : 'Decision'}</th>
        </tr>
      </thead>
      <tbody>
        {loading && tasks.length === 0 && <SkeletonRows />}
        {tasks.map((task) => (
          <tr
            key={task.id}
            className="cairn-table__row"
            data-testid={`task-row-${task.id}`}
            onClick={(event) => {
              if (!(event.target as Element).closest('a, button')) onOpen(task);
            }}
          >
            <td>
              <Link href={taskHref(task.id)} className="cairn-table__name" data-testid="task-row-title">
                {task.title}
              </Link>
              {task.createdAt && <div className="cairn-inbox-table__sub">Arrived {relativeTime(task.createdAt, now)}</div>}
            </td>
            <td>
              <code className="cairn-slug">{task.workflowSlug}</code>
              <div className="cairn-inbox-table__sub">
                step <code>{task.nodeId}</code>
              </div>
            </td>
            <td className="cairn-inbox-table__assignees">
              {assigneesText(task.assignees)}
              {!task.assignedToYou && (
                <div className="cairn-inbox-table__sub" data-testid="task-row-not-yours">
                  not assigned to you
                </div>
              )}
              {task.decidingFor && (
                <div className="cairn-inbox-table__sub" data-testid="task-row-for">
                  for {task.decidingFor}
                </div>
              )}
              {task.policy.required > 1 && (
                <div className="cairn-inbox-table__sub" data-testid="task-row-progress">
                  {task.progress}
                </div>
              )}
            </td>
            <td>{tab === 'pending' ? <DueCell task={task} now={now} /> : <DecisionCell task={task} now={now} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DueCell({ task, now }: { task: Task; now: number }) {
  const left = timeLeft(task.dueAt, now);
  return (
    <span className={`cairn-due cairn-due--${left.tone}`} title={task.dueAt ? `Due ${dateTimeText(task.dueAt)}` : undefined} data-testid="task-due">
      {left.text}
    </span>
  );
}

function DecisionCell({ task, now }: { task: Task; now: number }) {
  return (
    <div>
      <StatusBadge status={task.status} of="task" testId="task-status" />
      <div className="cairn-inbox-table__sub" title={dateTimeText(task.decidedAt)}>
        {task.decidedBy ? `by ${task.decidedBy}${task.onBehalfOf ? ` on behalf of ${task.onBehalfOf}` : ''}, ` : ''}
        {task.decidedAt ? relativeTime(task.decidedAt, now) : ''}
      </div>
    </div>
  );
}

function SkeletonRows() {
  return (
    <>
      {[0, 1, 2].map((row) => (
        <tr key={row} aria-hidden="true">
          {[70, 50, 40, 45].map((width, cell) => (
            <td key={cell}>
              <span className="cairn-skeleton" style={{ width: `${width}%` }} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}
