// Signing in and out in the browser tests (and the list benchmarks) as the users they create through
// the services: the same sign-in page a person uses, and the session's CSRF token for direct API calls.
import type { Page } from 'playwright-core';

export interface Credentials {
  username: string;
  password: string;
}

const WAIT = { timeout: 15_000 };

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('sign-out').click();
  await page.getByTestId('login-page').waitFor(WAIT);
  await page.getByTestId('auth-notice').filter({ hasText: 'You have signed out.' }).waitFor(WAIT);
}

/**
 * Sign in as `who` (signing out first if someone is signed in) on the page `at` (default: where the
 * browser is). The page is opened while signed out, so it never loads (and fails) as the previous user.
 */
export async function signIn(page: Page, who: Credentials, at?: string): Promise<void> {
  if (await page.getByTestId('sign-out').isVisible()) await signOut(page);
  if (at !== undefined || !(await page.getByTestId('login-page').isVisible())) await page.goto(at ?? '/');
  await page.getByTestId('login-page').waitFor(WAIT);
  await page.getByTestId('login-username').fill(who.username);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-name').waitFor(WAIT);
}

/** The signed-in session's CSRF token, for REST mutations sent with the browser's cookie. */
export async function csrfToken(page: Page): Promise<string> {
  const response = await page.request.get('/api/v1/auth/me');
  const me = (await response.json()) as { csrfToken?: string };
  if (!me.csrfToken) throw new Error('not signed in: /api/v1/auth/me has no CSRF token');
  return me.csrfToken;
}
