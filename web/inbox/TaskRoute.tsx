// The task page's route, loaded on first use: Markdown rendering is a sizeable part of the bundle.
import { lazy, Suspense } from 'react';

const TaskPage = lazy(() => import('./TaskPage.js').then((module) => ({ default: module.TaskPage })));

export function TaskRoute({ id }: { id: string }) {
  return (
    <Suspense
      fallback={
        <main className="cairn-page" data-testid="task-loading" aria-busy="true">
          <span className="cairn-skeleton" style={{ width: '40%', height: 20 }} />
        </main>
      }
    >
      <TaskPage key={id} id={id} />
    </Suspense>
  );
}
