// The versions drawer: each published version with its state and run counts; open one read-only,
// compare any two versions or a version with the draft (the canvas marks what changed, and the drawer
// lists every changed field from its old value to its new one), promote one back to active, or go to
// the drain view (the runs still in flight on each version). Each version names the team actions it
// needs, marking those this server does not have as published.
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import type { VersionSummary } from '../../shared/runs/versions.js';
import { diffEntries, fieldName, formatDiffValue, type GraphDiff } from './graph-diff.js';
import type { VersionView } from './use-version-view.js';

export type { VersionView } from './use-version-view.js';

const DRAFT = 'draft';

export function VersionsDrawer(props: {
  slug: string;
  versions: VersionSummary[];
  viewing: VersionView;
  /** The diff on the canvas, when `viewing` is one. */
  diff?: GraphDiff;
  onView: (view: VersionView) => void;
  onPromote: (version: number) => void;
  onClose: () => void;
}) {
  const { versions, viewing } = props;
  const newest = versions[0]?.version;
  const [from, setFrom] = useState<number | undefined>(viewing?.version ?? versions[1]?.version ?? newest);
  const [to, setTo] = useState<string>(viewing?.diff && viewing.against !== undefined ? String(viewing.against) : DRAFT);
  useEffect(() => setFrom((current) => current ?? versions[1]?.version ?? newest), [versions, newest]);
  const compare = () => from !== undefined && props.onView({ version: from, diff: true, ...(to === DRAFT ? {} : { against: Number(to) }) });

  return (
    <aside className="cairn-drawer" data-testid="versions-drawer" aria-label="Versions">
      <header>
        <h3>Versions</h3>
        <Link href={`/workflows/${props.slug}/drain`} className="cairn-drawer__link" data-testid="drain-link" title="Each version's runs in flight, and where they wait">
          Runs in flight
        </Link>
        <button type="button" className="cairn-button cairn-button--small" onClick={props.onClose} aria-label="Close versions">
          ✕
        </button>
      </header>
      {versions.length === 0 && <p className="cairn-muted">Nothing published yet.</p>}
      {versions.length > 0 && (
        <form
          className="cairn-drawer__compare"
          aria-label="Compare versions"
          onSubmit={(event) => {
            event.preventDefault();
            compare();
          }}
        >
          <label>
            Compare
            <select value={from ?? ''} onChange={(event) => setFrom(Number(event.target.value))} aria-label="Compare from" data-testid="compare-from">
              {versions.map((version) => (
                <option key={version.version} value={version.version}>
                  v{version.version}
                </option>
              ))}
            </select>
          </label>
          <label>
            with
            <select value={to} onChange={(event) => setTo(event.target.value)} aria-label="Compare with" data-testid="compare-to">
              <option value={DRAFT}>the draft</option>
              {versions.map((version) => (
                <option key={version.version} value={version.version}>
                  v{version.version}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="cairn-button cairn-button--small" data-testid="compare">
            Compare
          </button>
        </form>
      )}
      {viewing?.diff && props.diff && <Changes diff={props.diff} />}
      <ol>
        {versions.map((version) => (
          <li key={version.version} data-testid={`version-${version.version}`} className={viewing?.version === version.version ? 'cairn-drawer__current' : undefined}>
            <div className="cairn-drawer__row">
              <strong>v{version.version}</strong>
              <span className={`cairn-state cairn-state--${version.state}`}>{version.state}</span>
              <small>{new Date(version.publishedAt).toLocaleString()}</small>
            </div>
            {version.note && <p className="cairn-drawer__note">{version.note}</p>}
            <p className="cairn-muted cairn-drawer__counts">
              {version.runs.running} running · {version.runs.waiting} waiting · {version.runs.completed} completed · {version.runs.failed} failed
            </p>
            <ActionsNeeded version={version} />
            <div className="cairn-drawer__actions">
              <button type="button" className="cairn-button cairn-button--small" onClick={() => props.onView({ version: version.version, diff: false })} data-testid={`view-version-${version.version}`}>
                View
              </button>
              <button type="button" className="cairn-button cairn-button--small" onClick={() => props.onView({ version: version.version, diff: true })} data-testid={`diff-version-${version.version}`}>
                Diff with draft
              </button>
              {version.state !== 'active' && (
                <button type="button" className="cairn-button cairn-button--small" onClick={() => props.onPromote(version.version)}>
                  Promote
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
    </aside>
  );
}

const NOT_AS_PUBLISHED = { missing: 'not loaded', changed: 'changed since publishing' } as const;

/** The team actions a version's steps use, and which this server lacks or has changed (its runs would fail there). */
function ActionsNeeded({ version }: { version: VersionSummary }) {
  const needed = version.actions ?? [];
  if (needed.length === 0) return null;
  return (
    <p className="cairn-muted cairn-drawer__counts" data-testid={`version-actions-${version.version}`}>
      Needs{' '}
      {needed.map((action, index) => (
        <span key={action.name} data-testid={`version-${version.version}-action-${action.name}`} data-state={action.state} title={`${action.file}, sha256 ${action.hash.slice(0, 12)}… when published`}>
          {index > 0 && ', '}
          <code>{action.name}</code>
          {action.state !== 'loaded' && <strong className="cairn-error"> ({NOT_AS_PUBLISHED[action.state]})</strong>}
        </span>
      ))}
    </p>
  );
}

/** Every change of the diff on the canvas: nodes and edges added or removed, and each changed field. */
function Changes({ diff }: { diff: GraphDiff }) {
  const entries = diffEntries(diff);
  return (
    <section className="cairn-drawer__changes" aria-label="Changes" data-testid="diff-changes">
      <h4>{entries.length === 0 ? 'No changes' : `${entries.length} change${entries.length === 1 ? '' : 's'}`}</h4>
      <ul>
        {entries.map((entry) => (
          <li key={entry.id} data-testid={`diff-entry-${entry.id}`}>
            <span className={`cairn-node__diff cairn-node__diff--${entry.mark}`}>{entry.mark}</span> <strong>{entry.title}</strong>
            {entry.fields.length > 0 && (
              <ul className="cairn-drawer__fields">
                {entry.fields.map((field) => (
                  <li key={field.path} data-testid={`diff-field-${entry.id}-${fieldName(field.path)}`}>
                    <code>{fieldName(field.path)}</code> <del>{formatDiffValue(field.before)}</del> → <ins>{formatDiffValue(field.after)}</ins>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
