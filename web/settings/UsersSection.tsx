// Users and their roles: the list, a new user, changing someone's roles, a new password, and
// disabling (or enabling) an account.
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { ErrorNotice } from '../ui/ErrorNotice.js';
import { PlusIcon } from '../ui/icons.js';
import { relativeTime } from '../ui/time.js';
import { DisableUserDialog, SetPasswordDialog } from './AccountDialogs.js';
import { isBuiltIn, type User } from './settings-data.js';
import { EditRolesDialog, NewUserDialog } from './UserDialogs.js';
import { EmailDialog } from './EmailDialog.js';

type UserDialog = { kind: 'new' } | { kind: 'roles' | 'password' | 'disable' | 'email'; user: User };

export function UsersSection({ me, notify }: { me: string; notify(message: string): void }) {
  const trpc = useTRPC();
  const users = useQuery(trpc.users.list.queryOptions());
  const [dialog, setDialog] = useState<UserDialog | null>(null);
  const taken = useMemo(() => new Set((users.data ?? []).map((user) => user.username)), [users.data]);
  const now = Date.now();
  const close = () => setDialog(null);

  return (
    <section className="cairn-card cairn-settings__section" aria-labelledby="users-heading">
      <div className="cairn-settings__head">
        <div>
          <h2 id="users-heading">Users and roles</h2>
          <p className="cairn-muted">Roles decide what people may do. Other role names (like “manager”) only choose who gets approval tasks.</p>
        </div>
        <button type="button" className="cairn-button cairn-button--primary cairn-button--small" data-testid="new-user" onClick={() => setDialog({ kind: 'new' })}>
          <PlusIcon /> New user
        </button>
      </div>
      {users.isError ? (
        <div className="cairn-settings__error">
          <ErrorNotice report={describeError(users.error)} testId="users-error" />
        </div>
      ) : (
        <table className="cairn-table cairn-settings-table cairn-users-table" data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Roles</th>
              <th scope="col">Added</th>
              <th scope="col" className="cairn-settings-table__actions">
                <span className="cairn-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.isPending && (
              <tr>
                <td colSpan={4}>
                  <span className="cairn-skeleton" style={{ width: '40%' }} />
                </td>
              </tr>
            )}
            {(users.data ?? []).map((user) => (
              <tr key={user.id} className={user.disabledAt ? 'cairn-settings-table__row--revoked' : undefined} data-testid={`user-row-${user.username}`}>
                <td>
                  <div className="cairn-settings__who">
                    <span className="cairn-avatar" aria-hidden="true">
                      {user.name.slice(0, 1).toUpperCase()}
                    </span>
                    <div>
                      <div className="cairn-settings__name">
                        {user.name}
                        {user.username === me && <span className="cairn-settings__you">you</span>}
                        {user.disabledAt && (
                          <span className="cairn-badge cairn-badge--danger cairn-settings__disabled" data-testid="user-disabled" title={`Disabled ${new Date(user.disabledAt).toLocaleString()}`}>
                            disabled
                          </span>
                        )}
                      </div>
                      <div className="cairn-muted cairn-settings__sub">
                        {user.username}
                        {user.email && <span data-testid="user-email"> · {user.email}</span>}
                      </div>
                    </div>
                  </div>
                </td>
                <td>
                  <div className="cairn-settings__roles" data-testid="user-roles">
                    {user.roles.map((role) => (
                      <span key={role} className={isBuiltIn(role) ? 'cairn-badge cairn-badge--accent' : 'cairn-badge'} title={isBuiltIn(role) ? 'Built-in role' : 'Assignee role for approvals'}>
                        {role}
                      </span>
                    ))}
                  </div>
                </td>
                <td>
                  <time className="cairn-muted" dateTime={user.createdAt} title={new Date(user.createdAt).toLocaleString()}>
                    {relativeTime(user.createdAt, now)}
                  </time>
                </td>
                <td className="cairn-settings-table__actions">
                  <div className="cairn-settings__actions">
                    <button type="button" className="cairn-button cairn-button--ghost cairn-button--small" data-testid={`edit-roles-${user.username}`} onClick={() => setDialog({ kind: 'roles', user })}>
                      Edit roles
                    </button>
                    <button type="button" className="cairn-button cairn-button--ghost cairn-button--small" data-testid={`set-email-${user.username}`} onClick={() => setDialog({ kind: 'email', user })}>
                      E-mail
                    </button>
                    <button type="button" className="cairn-button cairn-button--ghost cairn-button--small" data-testid={`set-password-${user.username}`} onClick={() => setDialog({ kind: 'password', user })}>
                      Password
                    </button>
                    {user.username !== me && (
                      <button
                        type="button"
                        className={`cairn-button cairn-button--ghost cairn-button--small${user.disabledAt ? '' : ' cairn-settings__revoke'}`}
                        data-testid={`${user.disabledAt ? 'enable' : 'disable'}-user-${user.username}`}
                        onClick={() => setDialog({ kind: 'disable', user })}
                      >
                        {user.disabledAt ? 'Enable' : 'Disable'}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'new' && (
        <NewUserDialog
          taken={taken}
          onClose={close}
          onDone={(user) => {
            close();
            notify(`Created ${user.username} (${user.roles.join(', ')})`);
          }}
        />
      )}
      {dialog?.kind === 'password' && (
        <SetPasswordDialog
          user={dialog.user}
          isSelf={dialog.user.username === me}
          onClose={close}
          onDone={(user) => {
            close();
            notify(`${user.username} has a new password`);
          }}
        />
      )}
      {dialog?.kind === 'disable' && (
        <DisableUserDialog
          user={dialog.user}
          onClose={close}
          onDone={(user) => {
            close();
            notify(user.disabledAt ? `${user.username} is disabled: signed out, tokens stopped` : `${user.username} can sign in again`);
          }}
        />
      )}
      {dialog?.kind === 'email' && (
        <EmailDialog
          user={dialog.user}
          onClose={close}
          onDone={(user) => {
            close();
            notify(user.email ? `${user.username}’s approval e-mails go to ${user.email}` : `${user.username} gets no approval e-mails`);
          }}
        />
      )}
      {dialog?.kind === 'roles' && (
        <EditRolesDialog
          user={dialog.user}
          isSelf={dialog.user.username === me}
          onClose={close}
          onDone={(user) => {
            close();
            notify(`${user.username} now has ${user.roles.join(', ')}`);
          }}
        />
      )}
    </section>
  );
}
