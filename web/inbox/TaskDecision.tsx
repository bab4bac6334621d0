// The side panel of a task: for a pending task, the decision (the task's form, a comment, approve or
// reject); for a closed one, its audit record (who, when, what, and the hash of what was shown,
// checked again in the browser against the content on the page).
import { useEffect, useState } from 'react';
import { SchemaForm, schemaFormProblems } from '../ui/SchemaForm.js';
import { DataView } from './DataView.js';
import { StatusBadge } from '../ui/StatusBadge.js';
import type { Task } from './inbox-data.js';
import { dateTimeText, relativeTime } from '../ui/time.js';
import './task-decision.css';

export type Decision = 'approve' | 'reject';

export interface DecisionRequest {
  decision: Decision;
  comment?: string;
  form?: Record<string, unknown>;
}

function prefillOf(form: Task['form']): Record<string, unknown> {
  const prefill = (form as { default?: unknown } | null | undefined)?.default;
  return prefill !== null && typeof prefill === 'object' && !Array.isArray(prefill) ? (prefill as Record<string, unknown>) : {};
}

const hasFields = (form: Task['form']) => Boolean(form && typeof form.properties === 'object' && form.properties && Object.keys(form.properties).length > 0);

export function DecisionPanel({ task, busy, onDecide }: { task: Task; busy: Decision | null; onDecide(request: DecisionRequest): void }) {
  const [comment, setComment] = useState('');
  // A form schema's root `default` prefills it: an AI node's best answer, for a person to correct.
  const [prefill] = useState(() => prefillOf(task.form));
  const [values, setValues] = useState<Record<string, unknown>>(() => structuredClone(prefill));
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<string[]>([]);
  const withForm = hasFields(task.form);

  const submit = (decision: Decision) => {
    // Left as prefilled counts as not filled in: rejecting a model's invalid answer needs no fixing.
    const filled = JSON.stringify(values) !== JSON.stringify(prefill) || Object.keys(invalid).length > 0;
    // Approving sends the form (checked here first, as the server will); rejecting sends it only if filled in.
    if (task.form && (decision === 'approve' || filled)) {
      // Each message names its field ("costCentre is required", "lines › 2 is not valid JSON: …").
      const found = Object.values(schemaFormProblems(task.form, values, invalid));
      setProblems(found);
      if (found.length) return;
    } else setProblems([]);
    const form = task.form && (decision === 'approve' || filled) ? values : undefined;
    onDecide({ decision, comment: comment.trim() ? comment : undefined, form });
  };

  return (
    <section className="cairn-card cairn-task-panel" aria-labelledby="task-decision-heading" data-testid="task-decision">
      <h2 id="task-decision-heading" className="cairn-task-panel__title">
        Your decision
      </h2>
      {withForm && (
        <div className="cairn-task-panel__form">
          <SchemaForm schema={task.form} value={values} onChange={setValues} onInvalidChange={setInvalid} disabled={busy !== null} testId="task-form" />
        </div>
      )}
      <div className="cairn-field">
        <label htmlFor="task-comment" className="cairn-field__label">
          Comment <span className="cairn-muted cairn-task-panel__optional">(optional)</span>
        </label>
        <textarea
          id="task-comment"
          className="cairn-input cairn-task-panel__comment"
          data-testid="task-comment"
          rows={4}
          maxLength={10_000}
          disabled={busy !== null}
          placeholder="Why you decided so; kept with the decision"
          value={comment}
          onChange={(event) => setComment(event.target.value)}
        />
      </div>
      {problems.length > 0 && (
        <div className="cairn-notice cairn-notice--danger" role="alert" data-testid="task-form-problems">
          <p className="cairn-notice__title">Fix the form before approving:</p>
          <ul className="cairn-notice__list">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="cairn-task-panel__actions">
        <button type="button" className="cairn-button cairn-task-panel__reject" data-testid="reject" disabled={busy !== null} onClick={() => submit('reject')}>
          {busy === 'reject' ? 'Rejecting…' : 'Reject'}
        </button>
        <button type="button" className="cairn-button cairn-button--primary cairn-task-panel__approve" data-testid="approve" disabled={busy !== null} onClick={() => submit('approve')}>
          {busy === 'approve' ? 'Approving…' : 'Approve'}
        </button>
      </div>
      <p className="cairn-task-panel__note cairn-muted">Your decision is final and recorded with your name, the time and what this page shows.</p>
    </section>
  );
}

export function AuditRecord({ task }: { task: Task }) {
  const decided = task.status === 'approved' || task.status === 'rejected';
  const verified = useShownHashCheck(task);
  return (
    <section className="cairn-card cairn-task-panel" aria-labelledby="task-audit-heading" data-testid="task-audit">
      <h2 id="task-audit-heading" className="cairn-task-panel__title">
        {decided ? 'Decision record' : 'Closed without a decision'}
      </h2>
      <dl className="cairn-audit">
        <div>
          <dt>Outcome</dt>
          <dd>
            <StatusBadge status={task.status} of="task" testId="task-status" />
          </dd>
        </div>
        {decided && (
          <div>
            <dt>Decided by</dt>
            <dd data-testid="audit-by">
              {task.decidedBy ?? '—'}
              {task.onBehalfOf && <span> on behalf of {task.onBehalfOf}</span>}
            </dd>
          </div>
        )}
        <div>
          <dt>{decided ? 'Decided at' : 'Closed at'}</dt>
          <dd data-testid="audit-at">
            {dateTimeText(task.decidedAt)}
            {task.decidedAt && <span className="cairn-muted"> · {relativeTime(task.decidedAt, Date.now())}</span>}
          </dd>
        </div>
        {decided && (
          <div>
            <dt>Comment</dt>
            <dd data-testid="audit-comment" className="cairn-audit__comment">
              {task.comment ? task.comment : <span className="cairn-muted">No comment</span>}
            </dd>
          </div>
        )}
        {decided && task.form && (
          <div>
            <dt>Form values</dt>
            <dd>
              <DataView value={task.formValues} testId="audit-form" empty="None filled in" />
            </dd>
          </div>
        )}
        <div>
          <dt>Shown content hash</dt>
          <dd>
            <code className="cairn-audit__hash" data-testid="audit-hash" title="SHA-256 of the title, details, data and form as shown to the approvers">
              {task.shownHash}
            </code>
            {verified !== null && (
              <span className={verified ? 'cairn-audit__verified' : 'cairn-audit__mismatch'} data-testid="audit-hash-check">
                {verified ? '✓ Matches the title, details and data on this page' : '✗ Does not match the content on this page'}
              </span>
            )}
          </dd>
        </div>
      </dl>
      <p className="cairn-task-panel__note cairn-muted">
        {decided ? 'The title, details and data on this page are what the approver was shown when deciding.' : 'The run moved on without a decision here.'}
      </p>
    </section>
  );
}

/** Recompute the server's shownHash (sha256 of [title, details, data, form] as JSON); null where unavailable. */
function useShownHashCheck(task: Task): boolean | null {
  const [verified, setVerified] = useState<boolean | null>(null);
  useEffect(() => {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) return;
    let live = true;
    const text = JSON.stringify([task.title, task.details ?? null, task.data ?? null, task.form ?? null]);
    void subtle.digest('SHA-256', new TextEncoder().encode(text)).then((digest) => {
      const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
      if (live) setVerified(hex === task.shownHash);
    });
    return () => {
      live = false;
    };
  }, [task.title, task.details, task.data, task.form, task.shownHash]);
  return verified;
}
