// The run detail's actions as dialogs: cancel (optionally compensating completed steps first, with a
// reason for the history) and send a signal (a name and JSON data).
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { Dialog, Field } from '../ui/Dialog.js';
import './start-run.css';

export function CancelRunDialog({ runId, onClose, onDone }: { runId: string; onClose(): void; onDone(compensate: boolean): void }) {
  const trpc = useTRPC();
  const [compensate, setCompensate] = useState(false);
  const [reason, setReason] = useState('');
  const checkId = useId();
  const cancel = useMutation(trpc.runs.cancel.mutationOptions({ onSuccess: () => onDone(compensate) }));
  return (
    <Dialog
      title="Cancel this run?"
      description="Its waits, timers and open approvals stop at once; child runs are cancelled too. A cancelled run cannot be resumed."
      // Two buttons that both say "Cancel" read as the same thing: one keeps the run, one ends it.
      closeLabel="Keep running"
      submitLabel="Cancel run"
      busyLabel="Cancelling…"
      tone="danger"
      busy={cancel.isPending}
      error={cancel.error ? describeError(cancel.error) : null}
      testId="cancel-run-dialog"
      onClose={onClose}
      onSubmit={() => cancel.mutate({ id: runId, compensate, reason: reason.trim() || undefined })}
    >
      <label className="cairn-check cairn-check--block" htmlFor={checkId}>
        <input id={checkId} type="checkbox" checked={compensate} onChange={(event) => setCompensate(event.target.checked)} data-testid="cancel-compensate" />
        <span>
          <strong>Compensate first</strong>
          <span className="cairn-field__hint">Undo the completed steps that declare a compensation, newest first (saga), then cancel.</span>
        </span>
      </label>
      <Field label="Reason (optional)" hint="Recorded in the run’s history.">
        {({ id, describedBy }) => <textarea id={id} aria-describedby={describedBy} rows={2} maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} data-testid="cancel-reason" data-autofocus />}
      </Field>
    </Dialog>
  );
}

export function SignalDialog({ runId, initialName, onClose, onDone }: { runId: string; initialName?: string; onClose(): void; onDone(name: string): void }) {
  const trpc = useTRPC();
  const [name, setName] = useState(initialName ?? '');
  const [text, setText] = useState('{}');
  let data: unknown;
  let parseError: string | null = null;
  try {
    data = text.trim() ? JSON.parse(text) : null;
  } catch (error) {
    parseError = `Not JSON: ${(error as Error).message}`;
  }
  const signal = useMutation(trpc.runs.signal.mutationOptions({ onSuccess: () => onDone(name.trim()) }));
  return (
    <Dialog
      title="Send a signal"
      description="An event node waiting for this name takes it at once; otherwise the run keeps it until one does."
      submitLabel="Send signal"
      busyLabel="Sending…"
      busy={signal.isPending}
      canSubmit={Boolean(name.trim()) && !parseError}
      error={signal.error ? describeError(signal.error) : null}
      testId="signal-dialog"
      onClose={onClose}
      onSubmit={() => signal.mutate({ id: runId, name: name.trim(), data })}
    >
      <Field label="Name">
        {({ id }) => <input id={id} className="cairn-input cairn-input--mono" value={name} onChange={(event) => setName(event.target.value)} placeholder="e.g. payment-confirmed" data-testid="signal-name" data-autofocus={initialName ? undefined : true} />}
      </Field>
      <Field label="Data (JSON)" error={parseError} hint="What later expressions see as nodes.<event node id>.">
        {({ id, describedBy, invalid }) => (
          <textarea id={id} className="cairn-json-input" aria-describedby={describedBy} aria-invalid={invalid} rows={6} value={text} onChange={(event) => setText(event.target.value)} data-testid="signal-data" data-autofocus={initialName ? true : undefined} spellCheck={false} />
        )}
      </Field>
    </Dialog>
  );
}
