// The signed-in app: the top bar (product, sections, who is signed in) and the routes below it. The
// editor route gets the whole remaining height, since the canvas needs an explicit size; it is loaded
// on first use (React Flow is most of the bundle), so the workflows list opens fast.
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, Redirect, Route, Switch, useLocation, useRoute } from 'wouter';
import { InboxBadge } from '../inbox/InboxBadge.js';
import { InboxPage } from '../inbox/InboxPage.js';
import { TaskRoute } from '../inbox/TaskRoute.js';
import { OperationsPage } from '../operations/OperationsPage.js';
import { SettingsPage } from '../settings/SettingsPage.js';
import { RunDetailRoute, RunsPage, VersionsDrainRoute } from '../runs/routes.js';
import { WorkflowsPage } from '../workflows/WorkflowsPage.js';
import { useSession } from './auth/session-context.js';

const EditorPage = lazy(() => import('../editor/EditorPage.js').then((module) => ({ default: module.EditorPage })));

const SECTIONS = [
  { href: '/', label: 'Workflows', testId: 'nav-workflows', matches: (path: string) => path === '/' || path.startsWith('/workflows'), forReaders: true },
  { href: '/runs', label: 'Runs', testId: 'nav-runs', matches: (path: string) => path.startsWith('/runs'), forReaders: true },
  { href: '/inbox', label: 'Inbox', testId: 'nav-inbox', matches: (path: string) => path.startsWith('/inbox'), forReaders: false },
  { href: '/operations', label: 'Operations', testId: 'nav-operations', matches: (path: string) => path.startsWith('/operations'), forReaders: true },
  { href: '/settings', label: 'Settings', testId: 'nav-settings', matches: (path: string) => path.startsWith('/settings'), forReaders: false },
];

export function Shell() {
  const [inEditor] = useRoute('/workflows/:slug');
  // Workflows and runs are read by admins and editors only (server/auth/principal.ts GRANTS): an
  // approver starts in the inbox, not on a list the server refuses them.
  const { canEditWorkflows: canRead } = useSession();
  return (
    <div className="cairn-app">
      <TopBar />
      <div className={inEditor ? 'cairn-content cairn-content--fill' : 'cairn-content'} data-testid="app-content">
        <Switch>
          <Route path="/">{canRead ? <WorkflowsPage /> : <Redirect to="/inbox" replace />}</Route>
          <Route path="/workflows">
            <Redirect to="/" replace />
          </Route>
          <Route path="/workflows/:slug/drain">{(params) => <VersionsDrainRoute slug={params.slug} />}</Route>
          <Route path="/workflows/:slug">{(params) => <EditorRoute slug={params.slug} />}</Route>
          <Route path="/runs" component={RunsPage} />
          <Route path="/runs/:id">{(params) => <RunDetailRoute id={params.id} />}</Route>
          <Route path="/inbox" component={InboxPage} />
          <Route path="/inbox/:id">{(params) => <TaskRoute id={params.id} />}</Route>
          <Route path="/settings" component={SettingsPage} />
          <Route path="/operations" component={OperationsPage} />
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </div>
    </div>
  );
}

function TopBar() {
  const { principal, signOut, canEditWorkflows: canRead } = useSession();
  const [location] = useLocation();
  const [signingOut, setSigningOut] = useState(false);
  return (
    <header className="cairn-topbar">
      <Link href="/" className="cairn-topbar__brand" aria-label="Cairn, home">
        <CairnMark size={26} />
        <span>Cairn</span>
      </Link>
      <nav className="cairn-topbar__nav" aria-label="Sections">
        {SECTIONS.filter((section) => canRead || !section.forReaders).map((section) => {
          const active = section.matches(location);
          return (
            <Link key={section.href} href={section.href} className={active ? 'cairn-nav-link cairn-nav-link--active' : 'cairn-nav-link'} aria-current={active ? 'page' : undefined} data-testid={section.testId}>
              {section.label}
              {section.href === '/inbox' && <InboxBadge />}
            </Link>
          );
        })}
      </nav>
      <div className="cairn-topbar__user">
        <span className="cairn-avatar" aria-hidden="true">
          {principal.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="cairn-topbar__name" data-testid="user-name" title={`Roles: ${principal.roles.join(', ')}`}>
          {principal.name}
        </span>
        <button
          type="button"
          className="cairn-button cairn-button--ghost cairn-button--small"
          data-testid="sign-out"
          disabled={signingOut}
          onClick={() => {
            setSigningOut(true);
            void signOut();
          }}
        >
          {signingOut ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
    </header>
  );
}

function EditorRoute({ slug }: { slug: string }) {
  useEffect(() => {
    document.title = `${slug} · Cairn`;
  }, [slug]);
  return (
    <Suspense
      fallback={
        <div className="cairn-splash cairn-splash--inline" data-testid="editor-loading" aria-busy="true">
          <CairnMark size={32} />
          <p className="cairn-visually-hidden">Loading the editor…</p>
        </div>
      }
    >
      <EditorPage key={slug} slug={slug} />
    </Suspense>
  );
}

function NotFound() {
  const [location] = useLocation();
  useEffect(() => {
    document.title = 'Not found · Cairn';
  }, []);
  return (
    <main className="cairn-page" data-testid="not-found-page">
      <section className="cairn-card cairn-empty">
        <h1>Page not found</h1>
        <p className="cairn-muted">
          Nothing lives at <code>{location}</code>.
        </p>
        <Link href="/" className="cairn-button cairn-button--primary">
          Go to workflows
        </Link>
      </section>
    </main>
  );
}

/** The product mark: three stacked stones. */
export function CairnMark({ size = 24 }: { size?: number }) {
  return (
    <svg className="cairn-mark" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="var(--cairn-accent)" />
      <ellipse cx="16" cy="23.5" rx="9" ry="3.6" fill="#fff" opacity="0.95" />
      <ellipse cx="16" cy="16.2" rx="6.4" ry="3" fill="#fff" opacity="0.8" />
      <ellipse cx="16" cy="10" rx="4" ry="2.4" fill="#fff" opacity="0.65" />
    </svg>
  );
}
