// Credentials (admins): the list — name, kind, description, when it was last set — never a value;
// creating, rotating and deleting one in dialogs (CredentialDialogs.tsx).
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { CREDENTIAL_KINDS, type CredentialSummary } from '../../shared/credential-kinds.js';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { PlusIcon } from '../ui/icons.js';
import { relativeTime } from '../ui/time.js';
import { CredentialDialog, DeleteCredentialDialog } from './CredentialDialogs.js';

type OpenDialog = { kind: 'new' } | { kind: 'rotate'; credential: CredentialSummary } | { kind: 'delete'; credential: CredentialSummary };
const kindTitle = (kind: string) => CREDENTIAL_KINDS.find((entry) => entry.kind === kind)?.title ?? kind;

export function CredentialsSection({ notify }: { notify(message: string): void }) {
  const trpc = useTRPC();
  const credentials = useQuery(trpc.credentials.list.queryOptions());
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const close = () => setDialog(null);
  const list = credentials.data?.credentials ?? [];
  const unavailable = credentials.data && !credentials.data.available ? credentials.data.reason : undefined;
  const now = Date.now();

  return (
    <section className="cairn-card cairn-settings__section" aria-labelledby="credentials-heading" data-testid="credentials-section">
      <div className="cairn-settings__head">
        <div>
          <h2 id="credentials-heading">Credentials</h2>
          <p className="cairn-muted">
            Secrets your steps use, by name: <code>credential: "stripe"</code> in an HTTP request step. Stored encrypted; a value is never shown again once saved.
          </p>
        </div>
        <button type="button" className="cairn-button cairn-button--primary cairn-button--small" data-testid="new-credential" disabled={Boolean(unavailable)} onClick={() => setDialog({ kind: 'new' })}>
          <PlusIcon /> New credential
        </button>
      </div>
      {unavailable && <p className="cairn-settings__error cairn-muted" data-testid="credentials-unavailable">Credentials cannot be stored here: {unavailable}.</p>}
      {credentials.isError ? (
        <div className="cairn-settings__error">
          <ErrorNotice report={describeError(credentials.error)} testId="credentials-error" />
        </div>
      ) : (
        <table className="cairn-table cairn-settings-table" data-testid="credentials-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Description</th>
              <th scope="col">Last set</th>
              <th scope="col" className="cairn-settings-table__actions">
                <span className="cairn-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {!credentials.isPending && list.length === 0 && (
              <tr>
                <td colSpan={5} className="cairn-table__empty">
                  No credentials yet.
                </td>
              </tr>
            )}
            {list.map((credential) => (
              <tr key={credential.name} data-testid={`credential-row-${credential.name}`}>
                <td className="cairn-settings__name">
                  <code>{credential.name}</code>
                </td>
                <td>
                  <span className="cairn-badge">{kindTitle(credential.kind)}</span>
                </td>
                <td className="cairn-muted">{credential.description ?? ''}</td>
                <td>
                  <time className="cairn-muted" dateTime={credential.rotatedAt} title={`${new Date(credential.rotatedAt).toLocaleString()}${credential.createdBy ? ` · created by ${credential.createdBy}` : ''}`}>
                    {relativeTime(credential.rotatedAt, now)}
                  </time>
                </td>
                <td className="cairn-settings-table__actions">
                  <div className="cairn-settings__actions">
                    <button type="button" className="cairn-button cairn-button--ghost cairn-button--small" data-testid={`rotate-credential-${credential.name}`} onClick={() => setDialog({ kind: 'rotate', credential })}>
                      Rotate
                    </button>
                    <button type="button" className="cairn-button cairn-button--ghost cairn-button--small cairn-settings__revoke" data-testid={`delete-credential-${credential.name}`} onClick={() => setDialog({ kind: 'delete', credential })}>
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'new' && <CredentialDialog onClose={close} onDone={(name) => (close(), notify(`Created “${name}”`))} />}
      {dialog?.kind === 'rotate' && <CredentialDialog existing={dialog.credential} onClose={close} onDone={(name) => (close(), notify(`Rotated “${name}”`))} />}
      {dialog?.kind === 'delete' && <DeleteCredentialDialog credential={dialog.credential} onClose={close} onDone={() => (close(), notify(`Deleted “${dialog.credential.name}”`))} />}
    </section>
  );
}
