// Creating and rotating a credential: a name (on creation), a kind, and the fields that kind holds.
// Secret fields are password inputs; what is typed is sent once and never shown again (the server
// answers without it). Deleting asks first; one that published versions use is refused, naming them.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CREDENTIAL_KINDS, type CredentialKind, type CredentialSummary } from '../../shared/credential-kinds.js';
import { useTRPC } from '../app/trpc.js';
import { describeError } from '../ui/api-errors.js';
import { Dialog, Field } from '../ui/Dialog.js';

type Row = { name: string; value: string };
const secretInput = { type: 'password', className: 'cairn-input', autoComplete: 'new-password', spellCheck: false } as const;

/** The value the server takes for a kind, from the form's fields. */
export function credentialValue(kind: CredentialKind, form: { first: string; second: string; rows: Row[] }): Record<string, unknown> {
  switch (kind) {
    case 'bearer':
      return { kind, token: form.second };
    case 'basic':
      return { kind, username: form.first, password: form.second };
    case 'header':
    case 'query':
      return { kind, name: form.first.trim(), value: form.second };
    default:
      return { kind, fields: Object.fromEntries(form.rows.filter((row) => row.name.trim()).map((row) => [row.name.trim(), row.value])) };
  }
}

const FIRST_LABEL: Partial<Record<CredentialKind, string>> = { basic: 'Username', header: 'Header name', query: 'Parameter name' };
const SECOND_LABEL: Partial<Record<CredentialKind, string>> = { bearer: 'Token', basic: 'Password', header: 'Value', query: 'Value' };

export function CredentialDialog({ existing, onClose, onDone }: { existing?: CredentialSummary; onClose(): void; onDone(name: string): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState(existing?.name ?? '');
  const [kind, setKind] = useState<CredentialKind>(existing?.kind ?? 'bearer');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [rows, setRows] = useState<Row[]>([{ name: '', value: '' }]);
  const done = async () => {
    await queryClient.invalidateQueries(trpc.credentials.pathFilter());
    onDone(name);
  };
  const create = useMutation(trpc.credentials.create.mutationOptions({ onSuccess: done }));
  const rotate = useMutation(trpc.credentials.rotate.mutationOptions({ onSuccess: done }));
  const mutation = existing ? rotate : create;
  const value = credentialValue(kind, { first, second, rows });
  const setRow = (index: number, change: Partial<Row>) => setRows(rows.map((row, at) => (at === index ? { ...row, ...change } : row)));

  return (
    <Dialog
      title={existing ? `Rotate “${existing.name}”` : 'New credential'}
      description={existing ? 'The new value is used from the next attempt of any step on. The old one is gone.' : 'Steps name it in their input (credential: "name"); the value is encrypted and never shown again.'}
      submitLabel={existing ? 'Rotate' : 'Create credential'}
      busyLabel="Saving…"
      busy={mutation.isPending}
      error={mutation.error ? describeError(mutation.error) : null}
      testId="credential-dialog"
      onClose={onClose}
      onSubmit={() => mutation.mutate({ name, description: description.trim() || null, value })}
    >
      {!existing && (
        <Field label="Name" hint="Lower-case letters, digits, . _ -, e.g. “stripe”">
          {({ id, describedBy }) => <input id={id} className="cairn-input" data-autofocus data-testid="credential-name" autoComplete="off" maxLength={63} value={name} aria-describedby={describedBy} onChange={(event) => setName(event.target.value)} />}
        </Field>
      )}
      <Field label="Kind" hint={CREDENTIAL_KINDS.find((entry) => entry.kind === kind)?.hint}>
        {({ id, describedBy }) => (
          <select id={id} className="cairn-input" data-testid="credential-kind" value={kind} aria-describedby={describedBy} onChange={(event) => setKind(event.target.value as CredentialKind)}>
            {CREDENTIAL_KINDS.map((entry) => (
              <option key={entry.kind} value={entry.kind}>
                {entry.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      {FIRST_LABEL[kind] && (
        <Field label={FIRST_LABEL[kind]!}>
          {({ id }) => <input id={id} className="cairn-input" data-testid="credential-first" autoComplete="off" value={first} onChange={(event) => setFirst(event.target.value)} />}
        </Field>
      )}
      {SECOND_LABEL[kind] && (
        <Field label={SECOND_LABEL[kind]!}>
          {({ id }) => <input id={id} {...secretInput} data-autofocus={existing ? true : undefined} data-testid="credential-secret" value={second} onChange={(event) => setSecond(event.target.value)} />}
        </Field>
      )}
      {kind === 'fields' && (
        <fieldset className="cairn-credential-fields" data-testid="credential-fields">
          <legend className="cairn-field__label">Fields</legend>
          {rows.map((row, index) => (
            <div key={index} className="cairn-credential-fields__row">
              <input className="cairn-input" aria-label={`Field ${index + 1} name`} placeholder="name" autoComplete="off" value={row.name} onChange={(event) => setRow(index, { name: event.target.value })} />
              <input {...secretInput} aria-label={`Field ${index + 1} value`} placeholder="value" value={row.value} onChange={(event) => setRow(index, { value: event.target.value })} />
            </div>
          ))}
          <button type="button" className="cairn-button cairn-button--ghost cairn-button--small" onClick={() => setRows([...rows, { name: '', value: '' }])}>
            Add a field
          </button>
        </fieldset>
      )}
      <Field label="Description" hint="Optional: what it is for, who owns it">
        {({ id, describedBy }) => <input id={id} className="cairn-input" data-testid="credential-description" maxLength={500} value={description} aria-describedby={describedBy} onChange={(event) => setDescription(event.target.value)} />}
      </Field>
    </Dialog>
  );
}

export function DeleteCredentialDialog({ credential, onClose, onDone }: { credential: CredentialSummary; onClose(): void; onDone(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(trpc.credentials.remove.mutationOptions({ onSuccess: async () => (await queryClient.invalidateQueries(trpc.credentials.pathFilter()), onDone()) }));
  return (
    <Dialog
      title={`Delete “${credential.name}”?`}
      description="Steps that name it fail from then on. A credential that published versions use cannot be deleted: rotate it instead."
      submitLabel="Delete credential"
      busyLabel="Deleting…"
      tone="danger"
      busy={remove.isPending}
      error={remove.error ? describeError(remove.error) : null}
      testId="delete-credential-dialog"
      onClose={onClose}
      onSubmit={() => remove.mutate({ name: credential.name })}
    />
  );
}
