// The frame of the signed-out pages: the product mark, a heading and a card holding the form.
import type { ReactNode } from 'react';
import { CairnMark } from '../Shell.js';

export function AuthLayout({ title, subtitle, children, testId }: { title: string; subtitle: ReactNode; children: ReactNode; testId: string }) {
  return (
    <div className="cairn-auth" data-testid={testId}>
      <main className="cairn-auth__panel">
        <div className="cairn-auth__brand">
          <CairnMark size={36} />
          <span>Cairn</span>
        </div>
        <div className="cairn-auth__card">
          <h1 className="cairn-auth__title">{title}</h1>
          <p className="cairn-auth__subtitle">{subtitle}</p>
          {children}
        </div>
        <p className="cairn-auth__footer">Durable workflows that keep their place.</p>
      </main>
    </div>
  );
}

/** A sign-in form's error, read out as soon as it appears. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="cairn-notice cairn-notice--danger" role="alert" data-testid="auth-error">
      <p className="cairn-notice__title">{message}</p>
    </div>
  );
}

/** The server words errors in lower case ("wrong username or password"); pages show sentences. */
export const asSentence = (text: string) => (text ? text[0].toUpperCase() + text.slice(1) : text);
