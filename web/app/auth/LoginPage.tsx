// Sign in with a username and password; `notice` explains why we are here (signed out, session ended).
import { useState, type FormEvent } from 'react';
import { signIn } from '../session.js';
import { AuthLayout, FormError, asSentence } from './AuthLayout.js';
import { TextField } from '../../ui/TextField.js';

export function LoginPage({ notice, onSignedIn }: { notice?: string; onSignedIn(): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!username || !password) {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const failure = await signIn('login', { username: username.trim(), password });
      if (failure) {
        setError(asSentence(failure));
        setPassword('');
      } else onSignedIn();
    } catch {
      setError('Cairn’s server could not be reached. Check that it is running and try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout testId="login-page" title="Sign in" subtitle="Welcome back. Sign in to build, run and approve workflows.">
      <form className="cairn-form" onSubmit={submit} noValidate>
        {notice && !error && (
          <div className="cairn-notice cairn-notice--info" role="status" data-testid="auth-notice">
            <p className="cairn-notice__title">{notice}</p>
          </div>
        )}
        <FormError message={error} />
        <TextField label="Username" value={username} onChange={setUsername} testId="login-username" autoComplete="username" autoFocus />
        <TextField label="Password" type="password" value={password} onChange={setPassword} testId="login-password" autoComplete="current-password" />
        <button type="submit" className="cairn-button cairn-button--primary cairn-button--block" disabled={busy} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthLayout>
  );
}
