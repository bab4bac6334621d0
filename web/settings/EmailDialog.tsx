// A user's e-mail address: where approval tasks are e-mailed with links to decide them (when the
// server has SMTP). Empty removes it. The server checks the address again and names what it refuses.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { Dialog, Field } from '../ui/Dialog.js';
import type { User } from './settings-data.js';

/** As the server's rule (local@domain, one line, no spaces or brackets), so the form says it first. */
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/;

export function emailProblem(email: string): string | null {
  if (!email) return null;
  if (/[\r\n]/.test(email)) return 'One line only.';
  return ADDRESS.test(email) ? null : 'An address like ada@example.com.';
}

export function EmailDialog({ user, onClose, onDone }: { user: User; onClose(): void; onDone(user: User): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState(user.email ?? '');
  const [attempted, setAttempted] = useState(false);
  const save = useMutation(trpc.users.update.mutationOptions({ onSuccess: async (saved) => (await queryClient.invalidateQueries(trpc.users.pathFilter()), onDone(saved)) }));
  const problem = emailProblem(email.trim());
  return (
    <Dialog
      title={`E-mail of ${user.name}`}
      description="Approval tasks assigned to them are e-mailed here, with links to approve or reject (when the server has SMTP). Leave empty for no e-mails."
      submitLabel="Save e-mail"
      busyLabel="Saving…"
      busy={save.isPending}
      error={save.error ? describeError(save.error) : null}
      testId="user-email-dialog"
      onClose={onClose}
      onSubmit={() => {
        setAttempted(true);
        if (!problem) save.mutate({ id: user.id, email: email.trim() || null });
      }}
    >
      <Field label="E-mail" error={attempted ? problem : null} hint="e.g. ada@example.com">
        {({ id, describedBy, invalid }) => (
          <input id={id} type="email" className="cairn-input" data-autofocus data-testid="user-email-input" autoComplete="off" spellCheck={false} value={email} maxLength={320} aria-invalid={invalid} aria-describedby={describedBy} onChange={(event) => setEmail(event.target.value)} />
        )}
      </Field>
    </Dialog>
  );
}
