// One status badge for runs and approval tasks: a dot and a word, coloured by what the status means
// (the same tones on the runs pages and in the inbox). `data-status` carries the raw status for tests.
import type { TaskStatus } from '../inbox/inbox-data.js';
import './status-badge.css';

export type StatusTone = 'neutral' | 'quiet' | 'info' | 'warning' | 'ok' | 'danger';

const RUN_STATUS: Record<string, [label: string, tone: StatusTone]> = {
  pending: ['Pending', 'quiet'],
  running: ['Running', 'info'],
  waiting: ['Waiting', 'warning'],
  completed: ['Completed', 'ok'],
  failed: ['Failed', 'danger'],
  cancelled: ['Cancelled', 'neutral'],
};

const TASK_STATUS: Record<TaskStatus, [label: string, tone: StatusTone]> = {
  pending: ['Pending', 'warning'],
  approved: ['Approved', 'ok'],
  rejected: ['Rejected', 'danger'],
  timed_out: ['Timed out', 'neutral'],
  cancelled: ['Cancelled', 'neutral'],
};

/** `of`: whose status it is — a run's "pending" is quiet, a task's "pending" waits on someone. */
export function StatusBadge({ status, of, testId }: { status: string; of: 'run' | 'task'; testId?: string }) {
  const [label, tone] = (of === 'run' ? RUN_STATUS : (TASK_STATUS as Record<string, [string, StatusTone]>))[status] ?? [status, 'quiet'];
  const moving = of === 'run' && status === 'running';
  return (
    <span className={`cairn-status-badge cairn-status-badge--${tone}${moving ? ' cairn-status-badge--moving' : ''}`} data-testid={testId} data-status={status}>
      <span className="cairn-status-badge__dot" aria-hidden="true" />
      {label}
    </span>
  );
}
