// Publishing the draft as the next immutable version, with a note.
import { useEffect, useRef, useState } from 'react';

export function PublishDialog({ open, onClose, onPublish }: { open: boolean; onClose: () => void; onPublish: (note: string) => Promise<string | null> }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open && !dialog.current?.open) dialog.current?.showModal();
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="cairn-dialog" onClose={onClose} data-testid="publish-dialog">
      <form
        method="dialog"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          const failure = await onPublish(note);
          setBusy(false);
          setError(failure);
          if (!failure) {
            setNote('');
            onClose();
          }
        }}
      >
        <h2>Publish a new version</h2>
        <p className="cairn-muted">New runs start on it; runs in flight finish on the version they started on.</p>
        <label>
          Note
          <textarea value={note} onChange={(event) => setNote(event.target.value)} placeholder="What changed?" data-testid="publish-note" rows={3} />
        </label>
        {error && <p className="cairn-error">{error}</p>}
        <div className="cairn-dialog__actions">
          <button type="button" className="cairn-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="cairn-button cairn-button--primary" disabled={busy} data-testid="publish-confirm">
            Publish
          </button>
        </div>
      </form>
    </dialog>
  );
}
