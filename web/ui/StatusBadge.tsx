// A task's status as a coloured badge (pending, approved, rejected, timed out, cancelled).
import { STATUS_LABEL, type TaskStatus } from '../inbox/inbox-data.js';

export function StatusBadge({ status }: { status: TaskStatus }) {
  return (
    <span className={`cairn-badge cairn-status cairn-status--${status}`} data-testid="task-status">
      <span className="cairn-badge__dot" aria-hidden="true" />
      {STATUS_LABEL[status]}
    </span>
  );
}
