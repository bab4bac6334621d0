// An admin's account actions on another user: a new password (their other sessions end), and
// disabling (their sessions end and their API tokens stop working at once) or enabling them again.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { Dialog, Field } from '../ui/Dialog.js';
import { PASSWORD_MIN_LENGTH, type User } from './settings-data.js';

function useUpdateUser(onDone: (user: User) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: async (user) => {
        await queryClient.invalidateQueries(trpc.users.pathFilter());
        onDone(user);
      },
    }),
  );
}

export function SetPasswordDialog({ user, isSelf, onClose, onDone }: { user: User; isSelf: boolean; onClose(): void; onDone(user: User): void }) {
  const update = useUpdateUser(onDone);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [attempted, setAttempted] = useState(false);
  const passwordProblem = password.length >= PASSWORD_MIN_LENGTH ? null : `At least ${PASSWORD_MIN_LENGTH} characters.`;
  const confirmProblem = confirm === password ? null : 'The two passwords differ.';
  return (
    <Dialog
      title={`New password for ${user.name}`}
      description={
        isSelf ? (
          <>Your other signed-in browsers are signed out; this one stays signed in.</>
        ) : (
          <>
            <code>{user.username}</code> is signed out everywhere and signs in with this password. Share it with them privately.
          </>
        )
      }
      submitLabel="Set password"
      busyLabel="Saving…"
      busy={update.isPending}
      error={update.error ? describeError(update.error) : null}
      testId="set-password-dialog"
      onClose={onClose}
      onSubmit={() => {
        setAttempted(true);
        if (!passwordProblem && !confirmProblem) update.mutate({ id: user.id, password });
      }}
    >
      <Field label="New password" error={attempted ? passwordProblem : null} hint={`At least ${PASSWORD_MIN_LENGTH} characters`}>
        {({ id, describedBy, invalid }) => (
          <input id={id} type="password" className="cairn-input" data-autofocus data-testid="set-password-password" autoComplete="new-password" value={password} aria-invalid={invalid} aria-describedby={describedBy} onChange={(event) => setPassword(event.target.value)} />
        )}
      </Field>
      <Field label="Repeat it" error={attempted ? confirmProblem : null}>
        {({ id, describedBy, invalid }) => (
          <input id={id} type="password" className="cairn-input" data-testid="set-password-confirm" autoComplete="new-password" value={confirm} aria-invalid={invalid} aria-describedby={describedBy} onChange={(event) => setConfirm(event.target.value)} />
        )}
      </Field>
    </Dialog>
  );
}

export function DisableUserDialog({ user, onClose, onDone }: { user: User; onClose(): void; onDone(user: User): void }) {
  const update = useUpdateUser(onDone);
  const enabling = user.disabledAt !== null;
  return (
    <Dialog
      title={enabling ? `Enable ${user.name}?` : `Disable ${user.name}?`}
      description={
        enabling ? (
          <>
            <code>{user.username}</code> can sign in again, and the API tokens they made work again.
          </>
        ) : (
          <>
            <code>{user.username}</code> is signed out at once, cannot sign in, and the API tokens they made stop working. Their runs and decisions stay. You can enable them again later.
          </>
        )
      }
      submitLabel={enabling ? 'Enable user' : 'Disable user'}
      busyLabel="Saving…"
      busy={update.isPending}
      tone={enabling ? 'primary' : 'danger'}
      error={update.error ? describeError(update.error) : null}
      testId="disable-user-dialog"
      onClose={onClose}
      onSubmit={() => update.mutate({ id: user.id, disabled: !enabling })}
    />
  );
}
