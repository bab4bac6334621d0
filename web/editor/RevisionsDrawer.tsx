// The draft's history: every kept save (the newest 100) with who saved it and when. Open one
// read-only, compare it with the draft, or restore it (a new save, undoable in the editor); the
// banner over the canvas and the list of differences under it while one is open.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../app/trpc.js';
import { DiffList } from './DiffList.js';
import type { GraphDiff } from './graph-diff.js';
import './drafts.css';

export type RevisionView = { rev: number; diff: boolean } | null;

interface RevisionMeta {
  rev: number;
  kind: string;
  restoredFrom: number | null;
  savedBy: string | null;
}

/** "you", "you in another tab", "ada" or "someone" (saves older than the history, the CLI). */
export function savedByText(revision: { savedBy: string | null }, me: string | undefined, options: { capital?: boolean } = {}): string {
  const text = !revision.savedBy ? 'someone' : revision.savedBy === me ? 'you' : revision.savedBy;
  return options.capital ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** The time of a save today, else its date and time: short enough for the drawer's row. */
function when(iso: string): string {
  const at = new Date(iso);
  return at.toDateString() === new Date().toDateString() ? at.toLocaleTimeString() : at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

const KIND_TEXT: Record<string, (revision: RevisionMeta) => string> = {
  create: () => 'created',
  save: () => 'saved',
  restore: (revision) => `restored revision ${revision.restoredFrom}`,
  'set-aside': () => 'kept aside in a conflict',
};

export function RevisionsDrawer(props: { slug: string; me: string | undefined; viewing: RevisionView; onView: (view: RevisionView) => void; onRestore: (rev: number) => Promise<string | null>; onClose: () => void }) {
  const trpc = useTRPC();
  const revisions = useQuery({ ...trpc.workflows.revisions.queryOptions({ slug: props.slug }), staleTime: 0 });
  const [restoring, setRestoring] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const restore = async (rev: number) => {
    setRestoring(rev);
    setError(await props.onRestore(rev));
    setRestoring(null);
  };

  return (
    <aside className="cairn-drawer cairn-revisions" data-testid="revisions-drawer" aria-label="Draft history">
      <header>
        <h3>Draft history</h3>
        <button type="button" className="cairn-button cairn-button--small" onClick={props.onClose} aria-label="Close the draft history">
          ✕
        </button>
      </header>
      <p className="cairn-muted cairn-revisions__hint">Every save of the draft; the newest 100 are kept. Restoring one is a new save you can undo.</p>
      {error && (
        <p className="cairn-error" role="alert" data-testid="restore-error">
          {error}
        </p>
      )}
      {revisions.error && <p className="cairn-error">{revisions.error.message}</p>}
      <ol>
        {(revisions.data?.revisions ?? []).map((revision) => {
          const current = revision.rev === revisions.data?.draftRev;
          return (
            <li key={revision.rev} data-testid={`revision-${revision.rev}`} className={props.viewing?.rev === revision.rev ? 'cairn-drawer__current' : undefined}>
              <div className="cairn-drawer__row">
                <strong>Revision {revision.rev}</strong>
                {current && <span className="cairn-revisions__badge">current</span>}
                <small title={new Date(revision.savedAt).toLocaleString()}>{when(revision.savedAt)}</small>
              </div>
              <p className="cairn-revisions__who">
                {KIND_TEXT[revision.kind]?.(revision) ?? revision.kind} by {savedByText(revision, props.me)}
              </p>
              <div className="cairn-drawer__actions">
                <button type="button" className="cairn-button cairn-button--small" onClick={() => props.onView({ rev: revision.rev, diff: false })} data-testid={`view-revision-${revision.rev}`}>
                  View
                </button>
                {!current && (
                  <button type="button" className="cairn-button cairn-button--small" onClick={() => props.onView({ rev: revision.rev, diff: true })} data-testid={`diff-revision-${revision.rev}`}>
                    Diff with draft
                  </button>
                )}
                {!current && (
                  <button type="button" className="cairn-button cairn-button--small" onClick={() => void restore(revision.rev)} disabled={restoring !== null} data-testid={`restore-revision-${revision.rev}`}>
                    {restoring === revision.rev ? 'Restoring…' : 'Restore'}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </aside>
  );
}

/** Over the canvas while a revision is shown: which, by whom, and the way to restore it or go back. */
export function RevisionBanner(props: { slug: string; view: NonNullable<RevisionView>; me: string | undefined; currentRev: number; onRestore: (rev: number) => Promise<string | null>; onBack: () => void }) {
  const trpc = useTRPC();
  const { view } = props;
  const revision = useQuery({ ...trpc.workflows.revision.queryOptions({ slug: props.slug, rev: view.rev }), staleTime: Infinity });
  const [error, setError] = useState<string | null>(null);
  const data = revision.data?.rev === view.rev ? revision.data : undefined;
  return (
    <div className="cairn-banner" data-testid="viewing-revision">
      <span>
        {view.diff ? `Changes since revision ${view.rev} (green added, red removed, amber changed)` : `Revision ${view.rev}, read-only`}
        {data && ` — ${KIND_TEXT[data.kind]?.(data) ?? data.kind} by ${savedByText(data, props.me)}, ${new Date(data.savedAt).toLocaleString()}`}
        {revision.error && <span className="cairn-error"> {revision.error.message}</span>}
        {error && <span className="cairn-error" role="alert"> Not restored: {error}</span>}
      </span>
      {data && data.rev !== props.currentRev && (
        <button type="button" className="cairn-button" onClick={() => void props.onRestore(view.rev).then(setError)} data-testid="restore-viewed">
          Restore this revision
        </button>
      )}
      <button type="button" className="cairn-button" onClick={props.onBack} data-testid="back-to-draft">
        Back to the draft
      </button>
    </div>
  );
}

/** Under the canvas while a revision is compared with the draft: every difference, field by field. */
export function RevisionDiffPanel(props: { view: NonNullable<RevisionView>; diff: GraphDiff }) {
  return (
    <div className="cairn-revision-diff">
      <DiffList diff={props.diff} before={`revision ${props.view.rev}`} after="the draft" testId="revision-diff" />
    </div>
  );
}
