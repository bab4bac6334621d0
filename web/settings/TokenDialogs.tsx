// A new API token: its name and role, then the secret, shown this once with a copy button (the server
// keeps only its hash).
import { useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { Dialog, Field } from '../ui/Dialog.js';
import { BUILT_IN_ROLES } from './settings-data.js';

export function NewTokenDialog({ onClose, onCreated }: { onClose(): void; onCreated(created: { name: string; role: string; token: string }): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState('editor');
  const create = useMutation(trpc.tokens.create.mutationOptions({ onSuccess: async (created) => (await queryClient.invalidateQueries(trpc.tokens.pathFilter()), onCreated(created)) }));
  return (
    <Dialog
      title="New API token"
      description="The token acts with the role you choose. You will see it once, right after it is created."
      submitLabel="Create token"
      busyLabel="Creating…"
      busy={create.isPending}
      error={create.error ? describeError(create.error) : null}
      testId="new-token-dialog"
      onClose={onClose}
      onSubmit={() => create.mutate({ name: name.trim() || undefined, role })}
    >
      <Field label="Name" hint="What uses it, e.g. “billing-service”">
        {({ id, describedBy }) => <input id={id} className="cairn-input" data-autofocus data-testid="new-token-name" autoComplete="off" maxLength={100} value={name} aria-describedby={describedBy} onChange={(event) => setName(event.target.value)} />}
      </Field>
      <fieldset className="cairn-roles" data-testid="new-token-role">
        <legend className="cairn-field__label">Role</legend>
        <div className="cairn-roles__options">
          {BUILT_IN_ROLES.map((entry) => (
            <label key={entry.role} className="cairn-roles__option">
              <input type="radio" name="token-role" value={entry.role} checked={role === entry.role} onChange={() => setRole(entry.role)} data-testid={`new-token-role-${entry.role}`} />
              <span>
                <span className="cairn-roles__name">{entry.role}</span>
                <span className="cairn-roles__text">{entry.text}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
    </Dialog>
  );
}

export function TokenSecretDialog({ name, role, token, onClose }: { name: string; role: string; token: string; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    input.current?.focus();
    input.current?.select();
    return () => dialog?.close();
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token);
      setCopied('yes');
    } catch {
      // No clipboard access (e.g. plain http): leave the token selected for Ctrl+C.
      input.current?.select();
      setCopied('failed');
    }
  }

  return (
    <dialog
      ref={ref}
      className="cairn-dialog cairn-token-secret"
      aria-labelledby={titleId}
      data-testid="token-secret-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onClose();
        }}
      >
        <header>
          <h2 id={titleId}>Copy the token for “{name}”</h2>
          <p className="cairn-dialog__description">
            A <strong>{role}</strong> token. Send it as <code>Authorization: Bearer &lt;token&gt;</code>.
          </p>
        </header>
        <div className="cairn-notice cairn-notice--warning" role="note">
          <p className="cairn-notice__title">This is the only time it is shown: you won’t see it again.</p>
          <p>Store it somewhere safe now. If it is lost, revoke it and create a new one.</p>
        </div>
        <div className="cairn-token-secret__row">
          <input ref={input} className="cairn-input cairn-input--mono" readOnly value={token} aria-label="API token" data-testid="token-secret" onFocus={(event) => event.target.select()} />
          <button type="button" className="cairn-button cairn-button--secondary" data-testid="copy-token" onClick={() => void copy()}>
            {copied === 'yes' ? 'Copied' : 'Copy'}
          </button>
        </div>
        {copied === 'failed' && <p className="cairn-field__hint">Copying is not allowed here: the token is selected, press Ctrl+C (⌘C).</p>}
        <footer className="cairn-dialog__footer">
          <button type="submit" className="cairn-button cairn-button--primary" data-testid="token-secret-done">
            I have stored it
          </button>
        </footer>
      </form>
    </dialog>
  );
}
