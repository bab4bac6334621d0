// The browser's session: who is signed in and the CSRF token the server wants on every change.
// Sign-in itself goes through the REST auth routes (the session cookie is httpOnly).

export interface SessionPrincipal {
  name: string;
  roles: string[];
}

let csrfToken: string | null = null;

/** Sent as x-csrf-token on every mutation (tRPC and REST alike). */
export const currentCsrfToken = () => csrfToken;

async function post(path: string, body: unknown): Promise<{ ok: boolean; status: number; data: any }> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, data };
}

export async function loadSession(): Promise<{ principal: SessionPrincipal | null; setupNeeded: boolean }> {
  const [me, setup] = await Promise.all([
    fetch('/api/v1/auth/me', { credentials: 'same-origin' }).then((response) => response.json()),
    fetch('/api/v1/auth/setup').then((response) => response.json()),
  ]);
  csrfToken = me.csrfToken ?? null;
  return { principal: me.principal, setupNeeded: setup.setupNeeded };
}

/** Sign in (or, on a fresh database, create the owner); resolves to an error message or null. */
export async function signIn(kind: 'login' | 'setup', credentials: { username: string; password: string; name?: string }): Promise<string | null> {
  const result = await post(`/api/v1/auth/${kind}`, credentials);
  if (!result.ok) return result.data?.error?.message ?? `sign-in failed (${result.status})`;
  csrfToken = result.data.csrfToken;
  return null;
}

export async function signOut(): Promise<void> {
  await post('/api/v1/auth/logout', {});
  csrfToken = null;
}
