// First run: create the owner (an admin). Checked here as the server checks it, so mistakes show at
// once; the server's own refusal (e.g. set-up already done elsewhere) is shown as it words it.
import { useState, type FormEvent } from 'react';
import { signIn } from '../session.js';
import { AuthLayout, FormError, asSentence } from './AuthLayout.js';
import { TextField } from '../../ui/TextField.js';

/** server/services/accounts.service.ts USERNAME and server/auth/passwords.ts PASSWORD_MIN_LENGTH. */
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;
const PASSWORD_MIN_LENGTH = 10;

interface SetupForm {
  username: string;
  name: string;
  password: string;
  confirm: string;
}

function problems(form: SetupForm): Partial<Record<keyof SetupForm, string>> {
  return {
    username: !form.username ? 'Choose a username.' : USERNAME.test(form.username) ? undefined : '2–40 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit.',
    password: form.password.length >= PASSWORD_MIN_LENGTH ? undefined : `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
    confirm: form.confirm === form.password ? undefined : 'The passwords do not match.',
  };
}

export function SetupPage({ onSignedIn }: { onSignedIn(): void }) {
  const [form, setForm] = useState<SetupForm>({ username: '', name: '', password: '', confirm: '' });
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const found = problems(form);
  const shown = attempted ? found : {};
  const set = (key: keyof SetupForm) => (value: string) => setForm((current) => ({ ...current, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    if (Object.values(found).some(Boolean)) return;
    setBusy(true);
    setError(null);
    try {
      const failure = await signIn('setup', { username: form.username, password: form.password, name: form.name.trim() || undefined });
      if (failure) setError(asSentence(failure));
      else onSignedIn();
    } catch {
      setError('Cairn’s server could not be reached. Check that it is running and try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout testId="setup-page" title="Set up Cairn" subtitle="Create the owner account. The owner is an administrator and can invite everyone else later.">
      <form className="cairn-form" onSubmit={submit} noValidate>
        <FormError message={error} />
        <TextField label="Username" value={form.username} onChange={set('username')} error={shown.username} testId="setup-username" autoComplete="username" autoFocus hint="Lower-case; used to sign in." />
        <TextField label="Display name" value={form.name} onChange={set('name')} testId="setup-name" autoComplete="name" hint="Optional. How others see you." />
        <TextField label="Password" type="password" value={form.password} onChange={set('password')} error={shown.password} testId="setup-password" autoComplete="new-password" hint={`At least ${PASSWORD_MIN_LENGTH} characters.`} />
        <TextField label="Confirm password" type="password" value={form.confirm} onChange={set('confirm')} error={shown.confirm} testId="setup-confirm" autoComplete="new-password" />
        <button type="submit" className="cairn-button cairn-button--primary cairn-button--block" disabled={busy} data-testid="setup-submit">
          {busy ? 'Creating the owner…' : 'Create owner and sign in'}
        </button>
      </form>
    </AuthLayout>
  );
}
