// The runs section's routes for the shell. The run detail and the versions view draw canvases, so
// they load on first use (React Flow is most of the bundle) behind a small placeholder.
import { lazy, Suspense, type ReactNode } from 'react';

export { RunsPage } from './RunsPage.js';

const RunDetailPage = lazy(() => import('./RunDetailPage.js').then((module) => ({ default: module.RunDetailPage })));
const VersionsDrainView = lazy(() => import('./VersionsDrainView.js').then((module) => ({ default: module.VersionsDrainView })));

function Loading({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <main className="cairn-page" aria-busy="true">
          <p className="cairn-muted">Loading…</p>
        </main>
      }
    >
      {children}
    </Suspense>
  );
}

export function RunDetailRoute({ id }: { id: string }) {
  return (
    <Loading>
      <RunDetailPage key={id} id={id} />
    </Loading>
  );
}

export function VersionsDrainRoute({ slug }: { slug: string }) {
  return (
    <Loading>
      <VersionsDrainView key={slug} slug={slug} />
    </Loading>
  );
}
