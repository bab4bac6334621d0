// The versions drawer: each published version with its state and run counts; open one read-only,
// compare it with the draft, or promote it back to active.
import type { VersionSummary } from '../../server/services/workflows.service.js';

export type VersionView = { version: number; diff: boolean } | null;

export function VersionsDrawer(props: {
  versions: VersionSummary[];
  viewing: VersionView;
  onView: (view: VersionView) => void;
  onPromote: (version: number) => void;
  onClose: () => void;
}) {
  return (
    <aside className="cairn-drawer" data-testid="versions-drawer">
      <header>
        <h3>Versions</h3>
        <button type="button" className="cairn-button cairn-button--small" onClick={props.onClose} aria-label="Close versions">
          ✕
        </button>
      </header>
      {props.versions.length === 0 && <p className="cairn-muted">Nothing published yet.</p>}
      <ol>
        {props.versions.map((version) => (
          <li key={version.version} data-testid={`version-${version.version}`} className={props.viewing?.version === version.version ? 'cairn-drawer__current' : undefined}>
            <div className="cairn-drawer__row">
              <strong>v{version.version}</strong>
              <span className={`cairn-state cairn-state--${version.state}`}>{version.state}</span>
              <small>{new Date(version.publishedAt).toLocaleString()}</small>
            </div>
            {version.note && <p className="cairn-drawer__note">{version.note}</p>}
            <p className="cairn-muted cairn-drawer__counts">
              {version.runs.running} running · {version.runs.waiting} waiting · {version.runs.completed} completed · {version.runs.failed} failed
            </p>
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
