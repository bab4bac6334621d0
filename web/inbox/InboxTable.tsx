// One page of an inbox tab as a table: a pending task's title, workflow and step, assignees (with the
// quorum's progress and on whose behalf), who is handling it (claim / release), and its due time; a
// decided one's own decision and the task's outcome. Pending rows can be selected for a bulk decision.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { useSession } from '../app/auth/session-context.js';
import { useTRPC } from '../app/trpc.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import { dateTimeText, relativeTime, timeLeft } from '../ui/time.js';
import { assigneesText, taskHref, useNow, type InboxTab, type InboxTask } from './inbox-data.js';

interface Props {
  tab: InboxTab;
  tasks: InboxTask[];
  loading: boolean;
  /** The selected task ids; absent where rows cannot be selected (Decided by me). */
  selected?: ReadonlySet<string>;
  onSelect(selected: ReadonlySet<string>): void;
  onError(error: unknown): void;
}

export function InboxTable({ tab, tasks, loading, selected, onSelect, onError }: Props) {
  const [, navigate] = useLocation();
  const now = useNow();
  const pending = tab !== 'decided';
  const allSelected = selected !== undefined && tasks.length > 0 && tasks.every((task) => selected.has(task.id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (!next.delete(id)) next.add(id);
    onSelect(next);
  };
  return (
    <table className="cairn-table cairn-inbox-table" data-testid={`inbox-table-${tab}`}>
      <thead>
        <tr>
          {selected && (
            <th scope="col" className="cairn-inbox-table__pick">
              <input type="checkbox" aria-label="Select every task on this page" checked={allSelected} onChange={() => onSelect(allSelected ? new Set() : new Set(tasks.map((task) => task.id)))} data-testid="inbox-select-page" />
            </th>
          )}
          <th scope="col" className="cairn-inbox-table__task">Task</th>
          <th scope="col" className="cairn-inbox-table__workflow cairn-inbox-table__narrow-hide">Workflow · step</th>
          <th scope="col" className="cairn-inbox-table__who cairn-inbox-table__narrow-hide">{pending ? 'Assigned to' : 'Your decision'}</th>
          {pending && <th scope="col">Handled by</th>}
          <th scope="col">{pending ? 'Due' : 'Outcome'}</th>
        </tr>
      </thead>
      <tbody>
        {loading && tasks.length === 0 && <SkeletonRows cells={pending ? 6 : 4} />}
        {tasks.map((task) => (
          <tr
            key={task.id}
            className={selected?.has(task.id) ? 'cairn-table__row cairn-inbox-table__row--picked' : 'cairn-table__row'}
            data-testid={`task-row-${task.id}`}
            onClick={(event) => {
              if (!(event.target as Element).closest('a, button, input')) navigate(taskHref(task.id));
            }}
          >
            {selected && (
              <td className="cairn-inbox-table__pick">
                <input type="checkbox" aria-label={`Select “${task.title}”`} checked={selected.has(task.id)} onChange={() => toggle(task.id)} data-testid="task-row-select" />
              </td>
            )}
            <td>
              <Link href={taskHref(task.id)} className="cairn-table__name" data-testid="task-row-title">
                {task.title}
              </Link>
              {task.createdAt && <div className="cairn-inbox-table__sub">Arrived {relativeTime(task.createdAt, now)}</div>}
            </td>
            <td className="cairn-inbox-table__narrow-hide">
              <code className="cairn-slug">{task.workflowSlug}</code>
              <div className="cairn-inbox-table__sub">
                step <code>{task.nodeId}</code>
              </div>
            </td>
            {pending ? <AssigneesCell task={task} /> : <OwnDecisionCell task={task} now={now} />}
            {pending && <ClaimCell task={task} onError={onError} />}
            <td>{pending ? <DueCell task={task} now={now} /> : <OutcomeCell task={task} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AssigneesCell({ task }: { task: InboxTask }) {
  return (
    <td className="cairn-inbox-table__assignees cairn-inbox-table__narrow-hide">
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
  );
}

/** Who is handling the task, and the claim or release button for whoever may use it. */
function ClaimCell({ task, onError }: { task: InboxTask; onError(error: unknown): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { principal } = useSession();
  const refresh = () => void queryClient.invalidateQueries(trpc.inbox.pathFilter());
  const claim = useMutation(trpc.inbox.claim.mutationOptions({ onSuccess: refresh, onError: (error) => { onError(error); refresh(); } }));
  const release = useMutation(trpc.inbox.unclaim.mutationOptions({ onSuccess: refresh, onError: (error) => { onError(error); refresh(); } }));
  const mine = task.claimedBy === principal.name;
  const mayRelease = mine || principal.roles.includes('admin');
  return (
    <td>
      {task.claimedBy ? (
        <span className={mine ? 'cairn-claim cairn-claim--mine' : 'cairn-claim'} title={task.claimedAt ? `Claimed ${dateTimeText(task.claimedAt)}` : undefined} data-testid="task-claimed-by">
          {mine ? 'You' : task.claimedBy}
        </span>
      ) : (
        <span className="cairn-muted" data-testid="task-unclaimed">
          nobody yet
        </span>
      )}
      <div className="cairn-inbox-table__sub">
        {!task.claimedBy && (
          <button type="button" className="cairn-inbox-claim" disabled={claim.isPending} onClick={() => claim.mutate({ id: task.id })} data-testid="task-claim">
            {claim.isPending ? 'Claiming…' : 'Claim'}
          </button>
        )}
        {task.claimedBy && mayRelease && (
          <button type="button" className="cairn-inbox-claim" disabled={release.isPending} onClick={() => release.mutate({ id: task.id })} data-testid="task-unclaim">
            {release.isPending ? 'Releasing…' : 'Release'}
          </button>
        )}
      </div>
    </td>
  );
}

function DueCell({ task, now }: { task: InboxTask; now: number }) {
  const left = timeLeft(task.dueAt, now);
  return (
    <span className={`cairn-due cairn-due--${left.tone}`} title={task.dueAt ? `Due ${dateTimeText(task.dueAt)}` : undefined} data-testid="task-due">
      {left.text}
    </span>
  );
}

/** On the Decided tab: what this person decided, and when. */
function OwnDecisionCell({ task, now }: { task: InboxTask; now: number }) {
  const { principal } = useSession();
  const own = task.decisions.find((vote) => vote.by === principal.name || vote.onBehalfOf === principal.name);
  return (
    <td className="cairn-inbox-table__narrow-hide" data-testid="task-own-decision">
      {own ? (own.decision === 'approved' ? 'Approved' : 'Rejected') : '—'}
      {own?.onBehalfOf && <span> on behalf of {own.onBehalfOf}</span>}
      <div className="cairn-inbox-table__sub" title={dateTimeText(own?.at ?? null)}>
        {own?.at ? relativeTime(own.at, now) : ''}
        {own?.comment ? ` · “${own.comment}”` : ''}
      </div>
    </td>
  );
}

/** On the Decided tab: the task's status, and the quorum's progress while others are still to decide. */
function OutcomeCell({ task }: { task: InboxTask }) {
  return (
    <>
      <StatusBadge status={task.status} of="task" testId="task-status" />
      {task.status === 'pending' && task.policy.required > 1 && (
        <div className="cairn-inbox-table__sub" data-testid="task-row-progress">
          {task.progress}
        </div>
      )}
    </>
  );
}

function SkeletonRows({ cells }: { cells: number }) {
  return (
    <>
      {[0, 1, 2].map((row) => (
        <tr key={row} aria-hidden="true">
          {Array.from({ length: cells }, (_, cell) => (
            <td key={cell}>
              <span className="cairn-skeleton" style={{ width: `${[70, 50, 40, 45, 30, 40][cell] ?? 40}%` }} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}
