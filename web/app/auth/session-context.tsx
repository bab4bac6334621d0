// Who is signed in, for every page inside the auth gate, and what the UI may offer them. The server
// checks every permission again; these only decide which buttons to show.
import { createContext, useContext } from 'react';
import { rolesGrant } from '../../../shared/runs/permissions.js';
import type { SessionPrincipal } from '../session.js';

export interface Session {
  principal: SessionPrincipal;
  /** Whose roles grant workflows:write (shared/runs/permissions.ts, the table the server enforces). */
  canEditWorkflows: boolean;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() is only available inside the AuthGate');
  return session;
}

export const canEditWorkflows = (roles: readonly string[]) => rolesGrant(roles, 'workflows:write');
