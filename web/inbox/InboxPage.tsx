// The approval inbox: my tasks (assigned to me or one of my roles; the server filters), pending ones
// soonest due first with the time left, decided ones newest first. Live through the approvals
// subscription: a task decided elsewhere leaves the pending list on its own.
import { useEffect, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearch } from 'wouter';
import { useSession } from '../app/auth/session-context.js';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../workflows/api-errors.js';
import { ErrorNotice } from '../workflows/Dialog.js';
import { StonesIcon } from '../workflows/icons.js';
import { ToastStack, useToasts } from '../workflows/Toasts.js';
import { relativeTime } from '../workflows/workflow-files.js';
import { assigneesText, canDecide, takeInboxFlash, taskHref, useNow, type Task } from './inbox-data.js';
import { StatusBadge } from './StatusBadge.js';
import { byDecisionTime, byDueTime, dateTimeText, timeLeft } from './time.js';
import './inbox.css';

type Tab = 'pending' | 'decided';

/** Rows drawn at first, and added per "Show more": thousands of rows at once froze the page for seconds. */
const PAGE_SIZE = 50;

export function InboxPage() {
  const { principal } = useSession();
  useEffect(() => {
    document.title = 'Inbox · Cairn';
  }, []);
  return (
    <main className="cairn-page cairn-inbox" data-testid="inbox-page">
      <header className="cairn-page__header">
        <div>
          <h1 className="cairn-page__title">Inbox</h1>
          <p className="cairn-page__subtitle">
            {principal.roles.includes('admin')
              ? 'Approvals waiting on people. As an admin you see, and may decide, every task.'
              : 'Approvals waiting for you or one of your roles, with what you need to decide them.'}
          </p>
        </div>
      </header>
      {canDecide(principal.roles) ? (
        <InboxLists />
      ) : (
        <section className="cairn-card cairn-empty" data-testid="inbox-no-access">
          <h2>No approvals for your roles</h2>
          <p className="cairn-muted">Deciding approvals needs the approver, editor or admin role. Ask an admin to add one to your account.</p>
        </section>
      )}
    </main>
  );
}

function InboxLists() {
  const trpc = useTRPC();
  const search = useSearch();
  const [, navigate] = useLocation();
  const tab: Tab = new URLSearchParams(search).get('tab') === 'decided' ? 'decided' : 'pending';
  const now = useNow();
  const { toasts, push, dismiss } = useToasts();

  const pending = useQuery(trpc.approvals.list.queryOptions({ status: 'pending' }));
  const approved = useQuery({ ...trpc.approvals.list.queryOptions({ status: 'approved' }), enabled: tab === 'decided' });
  const rejected = useQuery({ ...trpc.approvals.list.queryOptions({ status: 'rejected' }), enabled: tab === 'decided' });

  useEffect(() => {
    const message = takeInboxFlash();
    if (message) push('ok', message);
  }, [push]);

  const queries = tab === 'pending' ? [pending] : [approved, rejected];
  const failed = queries.find((query) => query.isError);
  const loading = queries.some((query) => query.isPending);
  const tasks = tab === 'pending' ? byDueTime(pending.data ?? []) : byDecisionTime([...(approved.data ?? []), ...(rejected.data ?? [])]);
  const [limit, setLimit] = useState({ tab, rows: PAGE_SIZE });
  const shownRows = limit.tab === tab ? limit.rows : PAGE_SIZE;
  const shown = tasks.length > shownRows ? tasks.slice(0, shownRows) : tasks;

  return (
    <section className="cairn-card" aria-label="Approval tasks">
      <div className="cairn-card__toolbar">
        <div className="cairn-tabs" role="tablist" aria-label="Which tasks">
          <TabButton active={tab === 'pending'} testId="inbox-tab-pending" onClick={() => navigate('/inbox', { replace: true })}>
            Pending{pending.data ? <span className="cairn-tabs__count">{pending.data.length}</span> : null}
          </TabButton>
          <TabButton active={tab === 'decided'} testId="inbox-tab-decided" onClick={() => navigate('/inbox?tab=decided', { replace: true })}>
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
          <h2>{tab === 'pending' ? 'Nothing waiting for you' : 'No decisions yet'}</h2>
          <p className="cairn-muted">{tab === 'pending' ? 'When a run reaches an approval assigned to you or one of your roles, it appears here.' : 'Tasks you or your roles approved or rejected are listed here, newest first.'}</p>
        </div>
      ) : (
        <>
          <TaskTable tab={tab} tasks={shown} loading={loading} now={now} onOpen={(task) => navigate(taskHref(task.id))} />
          {shown.length < tasks.length && (
            <footer className="cairn-inbox__more" data-testid="inbox-more">
              <span className="cairn-muted">
                Showing {shown.length.toLocaleString()} of {tasks.length.toLocaleString()}
              </span>
              <button type="button" className="cairn-button cairn-button--small" onClick={() => setLimit({ tab, rows: shownRows + PAGE_SIZE })} data-testid="inbox-show-more">
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

function TabButton(props: { active: boolean; testId: string; onClick(): void; children: ReactNode }) {
  return (
    <button type="button" role="tab" aria-selected={props.active} className={props.active ? 'cairn-tabs__tab cairn-tabs__tab--active' : 'cairn-tabs__tab'} data-testid={props.testId} onClick={props.onClick}>
      {props.children}
    </button>
  );
}

function TaskTable({ tab, tasks, loading, now, onOpen }: { tab: Tab; tasks: Task[]; loading: boolean; now: number; onOpen(task: Task): void }) {
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
            <td className="cairn-inbox-table__assignees">{assigneesText(task.assignees)}</td>
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
      <StatusBadge status={task.status} />
      <div className="cairn-inbox-table__sub" title={dateTimeText(task.decidedAt)}>
        {task.decidedBy ? `by ${task.decidedBy}, ` : ''}
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
