// One status badge for runs and approval tasks: a dot and a word, coloured by what the status means
// (the same tones on the runs pages and in the inbox). `data-status` carries the raw status for tests.
import type { RunStatus } from '../../shared/runs/status.js';
import type { TaskStatus } from '../inbox/inbox-data.js';
import './status-badge.css';

export type StatusTone = 'neutral' | 'quiet' | 'info' | 'warning' | 'ok' | 'danger' | 'accent';

// Every status of shared/runs has its words (a new one fails the type check until it does).
const RUN_STATUS: Record<RunStatus, [label: string, tone: StatusTone]> = {
  queued: ['Queued', 'quiet'],
  pending: ['Pending', 'quiet'],
  running: ['Running', 'info'],
  waiting: ['Waiting', 'warning'],
  // An operator's hold, not the workflow's own wait: its own colour, and two bars for a dot.
  paused: ['Paused', 'accent'],
  completed: ['Completed', 'ok'],
  failed: ['Failed', 'danger'],
  cancelled: ['Cancelled', 'neutral'],
};

/** How a run's dot differs besides its colour: it blinks while running, is hollow while queued (not started), two bars while paused. */
const RUN_SHAPE: Partial<Record<RunStatus, 'moving' | 'hollow' | 'bars'>> = { running: 'moving', queued: 'hollow', paused: 'bars' };

const TASK_STATUS: Record<TaskStatus, [label: string, tone: StatusTone]> = {
  pending: ['Pending', 'warning'],
  approved: ['Approved', 'ok'],
  rejected: ['Rejected', 'danger'],
  timed_out: ['Timed out', 'neutral'],
  cancelled: ['Cancelled', 'neutral'],
};

/** `of`: whose status it is — a run's "pending" is quiet, a task's "pending" waits on someone. */
export function StatusBadge({ status, of, testId }: { status: string; of: 'run' | 'task'; testId?: string }) {
  const table = (of === 'run' ? RUN_STATUS : TASK_STATUS) as Record<string, [string, StatusTone]>;
  // Own keys only: a status read from a row could be any text, "constructor" included.
  const [label, tone] = Object.hasOwn(table, status) ? table[status] : [status, 'quiet'];
  const shape = of === 'run' && Object.hasOwn(RUN_SHAPE, status) ? RUN_SHAPE[status as RunStatus] : undefined;
  return (
    <span className={`cairn-status-badge cairn-status-badge--${tone}${shape ? ` cairn-status-badge--${shape}` : ''}`} data-testid={testId} data-status={status}>
      <span className="cairn-status-badge__dot" aria-hidden="true" />
      {label}
    </span>
  );
}
