// A modal form on the native <dialog>: shown with showModal() on mount (so the browser gives focus
// trapping, Escape and the backdrop) and closed by unmounting. Enter submits; Escape cancels unless busy.
// The element marked data-autofocus (or else the first field) gets focus.
import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import type { ErrorReport } from './api-errors.js';
import { ErrorNotice } from './ErrorNotice.js';

export interface DialogProps {
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  submitLabel: string;
  /** The button that closes without doing anything (default "Cancel"). */
  closeLabel?: string;
  /** Shown on the submit button while `busy`. */
  busyLabel?: string;
  busy?: boolean;
  tone?: 'primary' | 'danger';
  /** False keeps the submit button disabled (a field is still invalid). */
  canSubmit?: boolean;
  error?: ErrorReport | null;
  testId?: string;
  onSubmit(): void;
  onClose(): void;
}

export function Dialog(props: DialogProps) {
  const { title, description, children, submitLabel, closeLabel = 'Cancel', busyLabel, busy = false, tone = 'primary', canSubmit = true, error, testId, onSubmit, onClose } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const pressedOnBackdrop = useRef(false);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // React's autoFocus runs before the dialog opens; fields that want focus say so with data-autofocus.
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => dialog?.close();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy && canSubmit) onSubmit();
  };

  return (
    <dialog
      ref={ref}
      className="cairn-dialog"
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
      onMouseDown={(event) => (pressedOnBackdrop.current = event.target === ref.current)}
      onClick={(event) => {
        if (pressedOnBackdrop.current && event.target === ref.current && !busy) onClose();
      }}
    >
      <form className="cairn-dialog__form" onSubmit={submit} noValidate>
        <header className="cairn-dialog__header">
          <h2 id={titleId}>{title}</h2>
          {description && (
            <div id={descriptionId} className="cairn-dialog__description">
              {description}
            </div>
          )}
        </header>
        {children && <div className="cairn-dialog__body">{children}</div>}
        {error && <ErrorNotice report={error} />}
        <footer className="cairn-dialog__footer">
          <button type="button" className="cairn-button cairn-button--secondary" onClick={onClose} disabled={busy} data-testid="dialog-close">
            {closeLabel}
          </button>
          <button type="submit" className={`cairn-button cairn-button--${tone}`} disabled={busy || !canSubmit} data-testid="dialog-submit">
            {busy ? (busyLabel ?? submitLabel) : submitLabel}
          </button>
        </footer>
      </form>
    </dialog>
  );
}

/** A labelled input with a hint or an error under it. */
export function Field(props: { label: string; hint?: ReactNode; error?: string | null; children: (ids: { id: string; describedBy?: string; invalid: boolean }) => ReactNode }) {
  const id = useId();
  const noteId = useId();
  const note = props.error ?? props.hint;
  return (
    <div className="cairn-field">
      <label htmlFor={id} className="cairn-field__label">
        {props.label}
      </label>
      {props.children({ id, describedBy: note ? noteId : undefined, invalid: Boolean(props.error) })}
      {note && (
        <p id={noteId} className={props.error ? 'cairn-field__error' : 'cairn-field__hint'}>
          {note}
        </p>
      )}
    </div>
  );
}
