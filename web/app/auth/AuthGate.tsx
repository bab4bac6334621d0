// The auth gate: asks the server who we are on load, then shows the owner set-up (fresh database), the
// sign-in page, or the app. A tRPC call answered UNAUTHORIZED (the session expired or was revoked)
// sends the user back to sign in; cached data is dropped whenever the signed-in user changes.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { loadSession, signOut, type SessionPrincipal } from '../session.js';
import { LoginPage } from './LoginPage.js';
import { canEditWorkflows, SessionContext, type Session } from './session-context.js';
import { SetupPage } from './SetupPage.js';
import { CairnMark } from '../Shell.js';

type Gate =
  | { phase: 'loading' }
  | { phase: 'unreachable' }
  | { phase: 'setup' }
  | { phase: 'login'; notice?: string }
  | { phase: 'ready'; principal: SessionPrincipal };

const isUnauthorized = (error: unknown) => error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED';

export function AuthGate({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [gate, setGate] = useState<Gate>({ phase: 'loading' });
  const phase = useRef(gate.phase);
  phase.current = gate.phase;

  const refresh = useCallback(async (notice?: string) => {
    try {
      const { principal, setupNeeded } = await loadSession();
      if (principal) setGate({ phase: 'ready', principal });
      else setGate(setupNeeded ? { phase: 'setup' } : { phase: 'login', notice });
    } catch {
      setGate({ phase: 'unreachable' });
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    const expired = (error: unknown) => {
      if (phase.current !== 'ready' || !isUnauthorized(error)) return;
      phase.current = 'loading';
      queryClient.clear();
      void refresh('Your session has ended. Sign in again to continue.');
    };
    const offQueries = queryClient.getQueryCache().subscribe((event) => event.type === 'updated' && event.action.type === 'error' && expired(event.action.error));
    const offMutations = queryClient.getMutationCache().subscribe((event) => event.type === 'updated' && event.action.type === 'error' && expired(event.action.error));
    return () => {
      offQueries();
      offMutations();
    };
  }, [queryClient, refresh]);

  const signedIn = useCallback(() => {
    queryClient.clear();
    void refresh();
  }, [queryClient, refresh]);

  const principal = gate.phase === 'ready' ? gate.principal : null;
  const session = useMemo<Session | null>(
    () =>
      principal && {
        principal,
        canEditWorkflows: canEditWorkflows(principal.roles),
        async signOut() {
          // Leave the app before the session ends: its queries, throttled refetches and live
          // subscriptions stop first. A refetch racing the sign-out came back 401 and was read as an
          // expired session ("Your session has ended" in place of "You have signed out").
          phase.current = 'loading';
          setGate({ phase: 'loading' });
          queryClient.clear();
          await signOut().catch(() => undefined);
          phase.current = 'login';
          setGate({ phase: 'login', notice: 'You have signed out.' });
        },
      },
    [principal, queryClient],
  );

  switch (gate.phase) {
    case 'loading':
      return <Splash />;
    case 'unreachable':
      return <Splash failed onRetry={() => void refresh()} />;
    case 'setup':
      return <SetupPage onSignedIn={signedIn} />;
    case 'login':
      return <LoginPage notice={gate.notice} onSignedIn={signedIn} />;
    case 'ready':
      return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
  }
}

function Splash({ failed = false, onRetry }: { failed?: boolean; onRetry?: () => void }) {
  return (
    <div className="cairn-splash" data-testid={failed ? 'server-unreachable' : 'app-loading'} aria-busy={!failed}>
      <CairnMark size={40} />
      {failed ? (
        <div className="cairn-splash__message" role="alert">
          <p>Cairn’s server could not be reached.</p>
          <button type="button" className="cairn-button cairn-button--secondary" onClick={onRetry}>
            Try again
          </button>
        </div>
      ) : (
        <p className="cairn-visually-hidden">Loading Cairn…</p>
      )}
    </div>
  );
}
