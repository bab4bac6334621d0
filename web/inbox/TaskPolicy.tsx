// What an approval's policy means for this task, beside the decision: the quorum's progress
// ("1 of 2 approved"; one rejection rejects), each person's decision ("dan on behalf of cy"), on whose
// behalf you would decide, reminders and the escalation so far, and who may not decide (self-approval).
import type { Task } from './inbox-data.js';
import { dateTimeText, relativeTime } from '../ui/time.js';
import './task-policy.css';

const quorumWords = (task: Task) =>
  task.policy.quorum === 'all' ? 'every named user approves' : task.policy.quorum === 'count' ? `${task.policy.required} approvals are needed` : 'the first answer decides';

export function TaskPolicy({ task, now }: { task: Task; now: number }) {
  const { policy } = task;
  const quorum = policy.required > 1;
  const shown = quorum || task.decisions.length > 1 || task.decidingFor !== null || task.reminders > 0 || task.escalatedAt !== null || policy.forbidden.length > 0;
  if (!shown) return null;
  return (
    <section className="cairn-card cairn-task-policy" aria-labelledby="task-policy-heading" data-testid="task-policy">
      <h2 id="task-policy-heading" className="cairn-task-panel__title">
        Approval policy
      </h2>
      {quorum && (
        <p className="cairn-task-policy__progress" data-testid="task-progress">
          <strong>{task.progress}</strong>
          <span className="cairn-muted"> · {quorumWords(task)}; one rejection rejects</span>
        </p>
      )}
      {task.decidingFor && task.status === 'pending' && (
        <p className="cairn-task-policy__note" data-testid="task-deciding-for">
          You decide on behalf of <strong>{task.decidingFor}</strong>, who delegated their tasks to you.
        </p>
      )}
      {task.decisions.length > 0 && (
        <ol className="cairn-task-policy__decisions" data-testid="task-decisions">
          {task.decisions.map((vote) => (
            <li key={`${vote.by}:${vote.at}`} className={`cairn-task-policy__vote cairn-task-policy__vote--${vote.decision}`}>
              <span>
                <strong>{vote.by}</strong>
                {vote.onBehalfOf && <span data-testid="vote-on-behalf-of"> on behalf of {vote.onBehalfOf}</span>} {vote.decision}
              </span>
              <span className="cairn-muted" title={dateTimeText(vote.at)}>
                {vote.at ? relativeTime(vote.at, now) : ''}
              </span>
              {vote.comment && <q className="cairn-task-policy__comment">{vote.comment}</q>}
            </li>
          ))}
        </ol>
      )}
      {task.reminders > 0 && (
        <p className="cairn-task-policy__note" data-testid="task-reminders">
          Reminded {task.reminders === 1 ? 'once' : `${task.reminders} times`}
          {task.remindedAt && <span className="cairn-muted">, last {relativeTime(task.remindedAt, now)}</span>}
        </p>
      )}
      {task.escalatedAt && (
        <p className="cairn-task-policy__note" data-testid="task-escalated">
          Escalated {relativeTime(task.escalatedAt, now)} <span className="cairn-muted">· {dateTimeText(task.escalatedAt)}</span>
        </p>
      )}
      {policy.forbidden.length > 0 && (
        <p className="cairn-task-policy__note cairn-muted" data-testid="task-forbidden">
          Self-approval is forbidden: {policy.forbidden.join(', ')} may not decide this task.
        </p>
      )}
    </section>
  );
}
