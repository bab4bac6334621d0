// Creating a user (username, name, password, roles) and changing a user's roles. The server checks
// everything again; these dialogs say what it will refuse before it does.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { Dialog, Field } from '../ui/Dialog.js';
import { RolesField, useRolesDraft } from './RolesField.js';
import { emailProblem } from './EmailDialog.js';
import { PASSWORD_MIN_LENGTH, USERNAME, type User } from './settings-data.js';

function useRefreshUsers() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries(trpc.users.pathFilter());
}

export function NewUserDialog({ taken, onClose, onDone }: { taken: ReadonlySet<string>; onClose(): void; onDone(user: User): void }) {
  const trpc = useTRPC();
  const refresh = useRefreshUsers();
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [attempted, setAttempted] = useState(false);
  const roles = useRolesDraft(['approver']);
  const create = useMutation(trpc.users.create.mutationOptions({ onSuccess: async (user) => (await refresh(), onDone(user)) }));

  const usernameProblem = !username ? 'Enter a username.' : taken.has(username) ? `A user named “${username}” exists.` : USERNAME.test(username) ? null : '2–40 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit.';
  const passwordProblem = password.length >= PASSWORD_MIN_LENGTH ? null : `At least ${PASSWORD_MIN_LENGTH} characters.`;
  const mailProblem = emailProblem(email.trim());
  const valid = !usernameProblem && !passwordProblem && !mailProblem && !roles.error;

  return (
    <Dialog
      title="New user"
      description="They sign in with this username and password. Share the password with them privately."
      submitLabel="Create user"
      busyLabel="Creating…"
      busy={create.isPending}
      error={create.error ? describeError(create.error) : null}
      testId="new-user-dialog"
      onClose={onClose}
      onSubmit={() => {
        setAttempted(true);
        if (valid) create.mutate({ username, name: name.trim() || undefined, password, roles: roles.roles, ...(email.trim() ? { email: email.trim() } : {}) });
      }}
    >
      <div className="cairn-settings__pair">
        <Field label="Username" error={attempted ? usernameProblem : null} hint="Lower case, e.g. ada.lovelace">
          {({ id, describedBy, invalid }) => (
            <input id={id} className="cairn-input" data-autofocus data-testid="new-user-username" autoComplete="off" spellCheck={false} autoCapitalize="none" value={username} aria-invalid={invalid} aria-describedby={describedBy} onChange={(event) => setUsername(event.target.value.trim().toLowerCase())} />
          )}
        </Field>
        <Field label="Full name" hint="Optional; shown in the app">
          {({ id, describedBy }) => <input id={id} className="cairn-input" data-testid="new-user-name" autoComplete="off" value={name} maxLength={200} aria-describedby={describedBy} onChange={(event) => setName(event.target.value)} />}
        </Field>
      </div>
      <Field label="Password" error={attempted ? passwordProblem : null} hint={`At least ${PASSWORD_MIN_LENGTH} characters`}>
        {({ id, describedBy, invalid }) => <input id={id} type="password" className="cairn-input" data-testid="new-user-password" autoComplete="new-password" value={password} aria-invalid={invalid} aria-describedby={describedBy} onChange={(event) => setPassword(event.target.value)} />}
      </Field>
      <Field label="E-mail" error={attempted ? mailProblem : null} hint="Optional; approval tasks are e-mailed here with links to decide them">
        {({ id, describedBy, invalid }) => <input id={id} type="email" className="cairn-input" data-testid="new-user-email" autoComplete="off" spellCheck={false} value={email} maxLength={320} aria-invalid={invalid} aria-describedby={describedBy} onChange={(event) => setEmail(event.target.value)} />}
      </Field>
      <RolesField draft={roles.draft} onChange={roles.setDraft} error={roles.error} warning={roles.warning} showErrors={attempted} testId="new-user-roles" />
    </Dialog>
  );
}

export function EditRolesDialog({ user, isSelf, onClose, onDone }: { user: User; isSelf: boolean; onClose(): void; onDone(user: User): void }) {
  const trpc = useTRPC();
  const refresh = useRefreshUsers();
  const roles = useRolesDraft(user.roles);
  const [attempted, setAttempted] = useState(false);
  const save = useMutation(trpc.users.setRoles.mutationOptions({ onSuccess: async (saved) => (await refresh(), onDone(saved)) }));
  const losingAdmin = isSelf && user.roles.includes('admin') && !roles.roles.includes('admin');
  return (
    <Dialog
      title={`Roles of ${user.name}`}
      description={
        <>
          Changes apply to <code>{user.username}</code>’s next request; they need not sign in again.
        </>
      }
      submitLabel="Save roles"
      busyLabel="Saving…"
      busy={save.isPending}
      tone={losingAdmin ? 'danger' : 'primary'}
      error={save.error ? describeError(save.error) : null}
      testId="edit-roles-dialog"
      onClose={onClose}
      onSubmit={() => {
        setAttempted(true);
        if (!roles.error) save.mutate({ id: user.id, roles: roles.roles });
      }}
    >
      <RolesField draft={roles.draft} onChange={roles.setDraft} error={roles.error} warning={roles.warning} showErrors={attempted} testId="edit-roles" />
      {losingAdmin && (
        <div className="cairn-notice cairn-notice--danger" role="alert">
          <p className="cairn-notice__title">You are removing your own admin role: you will lose access to these settings.</p>
        </div>
      )}
    </Dialog>
  );
}
