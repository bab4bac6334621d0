// One approval task: what is being decided (title, details as Markdown, data, due time) and either
// the decision panel or, once closed, the audit record. A decision sends the user back to the inbox;
// the server's refusals (not an assignee, decided by someone else first) are shown as it words them.
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { Link, useLocation } from 'wouter';
import { useSession } from '../app/auth/session-context.js';
import { useTRPC } from '../app/trpc.js';
import { describeError, type ErrorReport } from '../ui/api-errors.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { DataView } from './DataView.js';
import { assigneesText, decodeTaskId, lastInboxView, setInboxFlash, useNow, type Task } from './inbox-data.js';
import { Markdown } from './Markdown.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { AuditRecord, DecisionPanel, type Decision, type DecisionRequest } from './TaskDecision.js';
import { TaskPolicy } from './TaskPolicy.js';
import { dateTimeText, timeLeft } from '../ui/time.js';
import { TaskClaim } from './TaskClaim.js';
import './inbox-list.css';
import './task.css';

const codeOf = (error: unknown) => (error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined);

/** A refusal in words: what happened, then the server's own sentence. */
function explain(error: unknown, doing: 'load' | 'decide'): ErrorReport {
  const detail = describeError(error).message;
  const say = (message: string): ErrorReport => ({ message, detail, problems: [] });
  switch (codeOf(error)) {
    case 'FORBIDDEN':
      if (detail.includes('self-approval')) return say('You may not decide this task: self-approval is forbidden here.');
      return say(doing === 'load' ? 'This task is not assigned to you.' : 'You may not decide this task: you are not one of its assignees.');
    case 'NOT_FOUND':
      return say('There is no such approval task.');
    case 'CONFLICT':
      return say('This task was already decided.');
    case 'UNPROCESSABLE_CONTENT':
      return say('The decision was not accepted.');
    default:
      return say(doing === 'load' ? 'The task could not be loaded.' : 'The decision could not be sent.');
  }
}

export function TaskPage({ id }: { id: string }) {
  const taskId = decodeTaskId(id);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const task = useQuery(trpc.approvals.get.queryOptions({ id: taskId }));
  const [problem, setProblem] = useState<ErrorReport | null>(null);

  const decide = useMutation(
    trpc.approvals.decide.mutationOptions({
      onSuccess: (result) => {
        queryClient.setQueryData(trpc.approvals.get.queryKey({ id: taskId }), result);
        void queryClient.invalidateQueries(trpc.approvals.list.pathFilter());
        setInboxFlash(`Your ${result.status === 'approved' ? 'approval' : 'rejection'} of “${result.title}” is recorded; the run continues.`);
        navigate(lastInboxView());
      },
      onError: (error) => {
        setProblem(explain(error, 'decide'));
        // Someone else decided it first: show their decision in place of the form, and fix the lists.
        if (codeOf(error) === 'CONFLICT') void queryClient.invalidateQueries(trpc.approvals.pathFilter());
      },
    }),
  );

  const busy: Decision | null = decide.isPending ? decide.variables.decision : null;

  useEffect(() => {
    document.title = `${task.data?.title ?? 'Approval'} · Cairn`;
  }, [task.data?.title]);

  const onDecide = (request: DecisionRequest) => {
    setProblem(null);
    decide.mutate({ id: taskId, ...request });
  };

  return (
    <main className="cairn-page cairn-inbox cairn-task" data-testid="task-page">
      <Link href={lastInboxView()} className="cairn-task__back" data-testid="back-to-inbox">
        ← Inbox
      </Link>
      {task.isPending ? (
        <TaskSkeleton />
      ) : task.isError ? (
        <section className="cairn-card cairn-task__load-error">
          <ErrorNotice report={explain(task.error, 'load')} testId="task-load-error" />
          <div className="cairn-task__load-actions">
            <Link href={lastInboxView()} className="cairn-button cairn-button--secondary">
              Back to the inbox
            </Link>
            <button type="button" className="cairn-button cairn-button--ghost" onClick={() => void task.refetch()}>
              Try again
            </button>
          </div>
        </section>
      ) : (
        <TaskBody task={task.data} problem={problem} busy={busy} onDecide={onDecide} />
      )}
    </main>
  );
}

function TaskBody({ task, problem, busy, onDecide }: { task: Task; problem: ErrorReport | null; busy: Decision | null; onDecide(request: DecisionRequest): void }) {
  const now = useNow();
  const { canEditWorkflows: canReadRuns } = useSession();
  const pending = task.status === 'pending';
  const left = timeLeft(task.dueAt, now);
  return (
    <>
      <header className="cairn-task__header">
        <div className="cairn-task__eyebrow">
          <StatusBadge status={task.status} of="task" testId="task-status" />
          {pending && (
            <span className={`cairn-due cairn-due--${left.tone}`} data-testid="task-due" title={task.dueAt ? `Due ${dateTimeText(task.dueAt)}` : undefined}>
              {left.text}
              {task.dueAt && <span className="cairn-muted"> · {dateTimeText(task.dueAt)}</span>}
            </span>
          )}
          {pending && <TaskClaim taskId={task.id} />}
        </div>
        <h1 className="cairn-page__title cairn-task__title" data-testid="task-title">
          {task.title}
        </h1>
        <dl className="cairn-task__meta">
          <div>
            <dt>Workflow</dt>
            <dd>
              <code className="cairn-slug">{task.workflowSlug}</code>
            </dd>
          </div>
          <div>
            <dt>Step</dt>
            <dd>
              <code className="cairn-slug">{task.nodeId}</code>
            </dd>
          </div>
          <div>
            <dt>Run</dt>
            <dd>
              {canReadRuns ? (
                <Link href={`/runs/${encodeURIComponent(task.instanceId)}`} className="cairn-task__run" data-testid="task-run">
                  {task.instanceId}
                </Link>
              ) : (
                // Approvers may not read runs: the id, not a link to a page that would refuse them.
                <span className="cairn-task__run" data-testid="task-run">
                  {task.instanceId}
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>Assigned to</dt>
            <dd data-testid="task-assignees">
              {assigneesText(task.assignees)}
              {!task.assignedToYou && (
                <span className="cairn-task__as-admin" data-testid="task-as-admin">
                  {' '}
                  — not you; as an admin you may decide it
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>Arrived</dt>
            <dd>{dateTimeText(task.createdAt)}</dd>
          </div>
          {!pending && task.dueAt && (
            <div>
              <dt>Was due</dt>
              <dd>{dateTimeText(task.dueAt)}</dd>
            </div>
          )}
        </dl>
      </header>
      {problem && <ErrorNotice report={problem} testId="task-error" />}
      <div className="cairn-task__layout">
        <div className="cairn-task__main">
          {!pending && <p className="cairn-task__shown-note cairn-muted">What the approvers were shown:</p>}
          <section className="cairn-card cairn-task__section" aria-labelledby="task-details-heading">
            <h2 id="task-details-heading" className="cairn-task__section-title">
              Details
            </h2>
            <div className="cairn-markdown" data-testid="task-details">
              {task.details?.trim() ? <Markdown source={task.details} /> : <p className="cairn-muted">No details were given.</p>}
            </div>
          </section>
          <section className="cairn-card cairn-task__section" aria-labelledby="task-data-heading">
            <h2 id="task-data-heading" className="cairn-task__section-title">
              Data
            </h2>
            <DataView value={task.data} testId="task-data" />
          </section>
        </div>
        <aside className="cairn-task__side">
          <TaskPolicy task={task} now={now} />
          {pending ? <DecisionPanel task={task} busy={busy} onDecide={onDecide} /> : <AuditRecord task={task} />}
        </aside>
      </div>
    </>
  );
}

function TaskSkeleton() {
  return (
    <div className="cairn-task__skeleton" aria-busy="true" aria-label="Loading the task">
      <span className="cairn-skeleton" style={{ width: '18%' }} />
      <span className="cairn-skeleton cairn-task__skeleton-title" style={{ width: '55%' }} />
      <span className="cairn-skeleton" style={{ width: '70%' }} />
      <span className="cairn-skeleton" style={{ width: '62%' }} />
    </div>
  );
}
