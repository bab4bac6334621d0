// Settings, for admins: users and their roles, API tokens and credentials. Others get a polite refusal (the
// server refuses them too).
import { useEffect } from 'react';
import { useSession } from '../app/auth/session-context.js';
import { ToastStack, useToasts } from '../ui/Toasts.js';
import { TokensSection } from './TokensSection.js';
import { CredentialsSection } from './CredentialsSection.js';
import { UsersSection } from './UsersSection.js';
import { DelegationSection } from './DelegationSection.js';
import './settings.css';

export function SettingsPage() {
  const { principal } = useSession();
  const { toasts, push, dismiss } = useToasts();
  const isAdmin = principal.roles.includes('admin');
  useEffect(() => {
    document.title = 'Settings · Cairn';
  }, []);

  return (
    <main className="cairn-page cairn-settings" data-testid="settings-page">
      <header className="cairn-page__header">
        <div>
          <h1 className="cairn-page__title">Settings</h1>
          <p className="cairn-page__subtitle">Who can sign in and what they may do, the API tokens other systems use, and the credentials steps use.</p>
        </div>
      </header>
      {isAdmin ? (
        <div className="cairn-settings__sections">
          <UsersSection me={principal.name} notify={(message) => push('ok', message)} />
          <TokensSection notify={(message) => push('ok', message)} />
          <CredentialsSection notify={(message) => push('ok', message)} />
          <DelegationSection me={principal.name} notify={(message) => push('ok', message)} />
        </div>
      ) : (
        <div className="cairn-settings__sections">
          <section className="cairn-card cairn-empty" data-testid="settings-admins-only">
            <h2>Users, roles and tokens are for admins</h2>
            <p className="cairn-muted">
              Users, roles and API tokens are managed by admins. You are signed in as <strong>{principal.name}</strong> ({principal.roles.join(', ')}); if you need another role or a token, ask an admin.
            </p>
          </section>
          <DelegationSection me={principal.name} notify={(message) => push('ok', message)} />
        </div>
      )}
      <ToastStack toasts={toasts} onDismiss={dismiss} />
    </main>
  );
}
