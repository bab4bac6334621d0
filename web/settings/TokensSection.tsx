// API tokens for other systems: the list (never the secrets), a new token shown exactly once, and
// revoking one.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { PlusIcon } from '../ui/icons.js';
import { relativeTime } from '../ui/time.js';
import type { ApiToken } from './settings-data.js';
import { NewTokenDialog, TokenSecretDialog } from './TokenDialogs.js';

type OpenDialog = { kind: 'new' } | { kind: 'secret'; name: string; role: string; token: string } | { kind: 'revoke'; token: ApiToken };

export function TokensSection({ notify }: { notify(message: string): void }) {
  const trpc = useTRPC();
  const tokens = useQuery(trpc.tokens.list.queryOptions());
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const now = Date.now();
  const close = () => setDialog(null);
  const list = tokens.data ?? [];
  const active = list.filter((token) => !token.revokedAt).length;

  return (
    <section className="cairn-card cairn-settings__section" aria-labelledby="tokens-heading">
      <div className="cairn-settings__head">
        <div>
          <h2 id="tokens-heading">API tokens</h2>
          <p className="cairn-muted">
            For other systems calling the REST API, sent as <code>Authorization: Bearer &lt;token&gt;</code>. Each token acts with one role.
          </p>
        </div>
        <button type="button" className="cairn-button cairn-button--primary cairn-button--small" data-testid="new-token" onClick={() => setDialog({ kind: 'new' })}>
          <PlusIcon /> New token
        </button>
      </div>
      {tokens.isError ? (
        <div className="cairn-settings__error">
          <ErrorNotice report={describeError(tokens.error)} testId="tokens-error" />
        </div>
      ) : (
        <table className="cairn-table cairn-settings-table cairn-tokens-table" data-testid="tokens-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col" className="cairn-settings-table__actions">
                <span className="cairn-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.isPending && (
              <tr>
                <td colSpan={6}>
                  <span className="cairn-skeleton" style={{ width: '40%' }} />
                </td>
              </tr>
            )}
            {!tokens.isPending && list.length === 0 && (
              <tr>
                <td colSpan={6} className="cairn-table__empty">
                  No API tokens yet.
                </td>
              </tr>
            )}
            {list.map((token) => (
              <tr key={token.id} className={token.revokedAt ? 'cairn-settings-table__row--revoked' : undefined} data-testid={`token-row-${token.name}`}>
                <td className="cairn-settings__name">{token.name}</td>
                <td>
                  <span className="cairn-badge cairn-badge--accent">{token.role}</span>
                </td>
                <td>
                  <When iso={token.createdAt} now={now} />
                </td>
                <td>{token.lastUsedAt ? <When iso={token.lastUsedAt} now={now} /> : <span className="cairn-muted">Never</span>}</td>
                <td data-testid="token-status">
                  {token.revokedAt ? (
                    <span className="cairn-badge" title={new Date(token.revokedAt).toLocaleString()}>
                      Revoked {relativeTime(token.revokedAt, now)}
                    </span>
                  ) : (
                    <span className="cairn-badge cairn-badge--ok">
                      <span className="cairn-badge__dot" aria-hidden="true" />
                      Active
                    </span>
                  )}
                </td>
                <td className="cairn-settings-table__actions">
                  {!token.revokedAt && (
                    <button type="button" className="cairn-button cairn-button--ghost cairn-button--small cairn-settings__revoke" data-testid={`revoke-token-${token.name}`} onClick={() => setDialog({ kind: 'revoke', token })}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.length > 0 && <p className="cairn-settings__foot cairn-muted">{`${active} active of ${list.length}`}</p>}
      {dialog?.kind === 'new' && <NewTokenDialog onClose={close} onCreated={(created) => setDialog({ kind: 'secret', ...created })} />}
      {dialog?.kind === 'secret' && <TokenSecretDialog name={dialog.name} role={dialog.role} token={dialog.token} onClose={close} />}
      {dialog?.kind === 'revoke' && (
        <RevokeDialog
          token={dialog.token}
          onClose={close}
          onDone={() => {
            close();
            notify(`Revoked “${dialog.token.name}”`);
          }}
        />
      )}
    </section>
  );
}

function When({ iso, now }: { iso: string; now: number }) {
  return (
    <time className="cairn-muted" dateTime={iso} title={new Date(iso).toLocaleString()}>
      {relativeTime(iso, now)}
    </time>
  );
}

function RevokeDialog({ token, onClose, onDone }: { token: ApiToken; onClose(): void; onDone(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: async () => (await queryClient.invalidateQueries(trpc.tokens.pathFilter()), onDone()) }));
  return (
    <Dialog
      title={`Revoke “${token.name}”?`}
      description={
        <>
          Anything using this <strong>{token.role}</strong> token is refused from now on (401). This cannot be undone; a system that still needs access needs a new token.
        </>
      }
      submitLabel="Revoke token"
      busyLabel="Revoking…"
      tone="danger"
      busy={revoke.isPending}
      error={revoke.error ? describeError(revoke.error) : null}
      testId="revoke-token-dialog"
      onClose={onClose}
      onSubmit={() => revoke.mutate({ id: token.id })}
    />
  );
}
