// The table of workflows (or its loading skeleton and empty states). A row opens the editor when
// clicked anywhere but its menu; the name is the keyboard-reachable link. A published workflow links
// to its versions' drain view (runs in flight per version).
import { Link } from 'wouter';
import { PlusIcon, SearchIcon, StonesIcon, UploadIcon } from '../ui/icons.js';
import { RowMenu, type MenuItem } from './RowMenu.js';
import { TriggersCell } from './TriggersCell.js';
import { relativeTime } from '../ui/time.js';
import type { WorkflowSummary } from './workflow-files.js';
import './workflows.css';

export type RowAction = 'rename' | 'duplicate' | 'export' | 'delete' | 'start';

interface TableProps {
  workflows: WorkflowSummary[];
  total: number;
  loading: boolean;
  filter: string;
  highlight: string | null;
  canEdit: boolean;
  onFilter(filter: string): void;
  onOpen(workflow: WorkflowSummary): void;
  onCreate(): void;
  onImport(): void;
  onAction(action: RowAction, workflow: WorkflowSummary): void;
}

export function WorkflowsTable(props: TableProps) {
  const { workflows, total, loading, filter, canEdit } = props;
  if (!loading && total === 0) return <EmptyState canEdit={canEdit} onCreate={props.onCreate} onImport={props.onImport} />;
  const now = Date.now();
  return (
    <section className="cairn-card" aria-label="Workflows">
      <div className="cairn-card__toolbar">
        <label className="cairn-search">
          <SearchIcon />
          <span className="cairn-visually-hidden">Filter workflows</span>
          <input type="search" className="cairn-search__input" placeholder="Filter by name or slug" value={filter} onChange={(event) => props.onFilter(event.target.value)} data-testid="workflows-filter" />
        </label>
        <span className="cairn-muted cairn-card__count">{loading ? 'Loading…' : filter ? `${workflows.length} of ${total}` : `${total} workflow${total === 1 ? '' : 's'}`}</span>
      </div>
      <table className="cairn-table cairn-workflows-table" data-testid="workflows-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Slug</th>
            <th scope="col">Published</th>
            <th scope="col">Triggers</th>
            <th scope="col">Updated</th>
            <th scope="col" className="cairn-table__actions">
              <span className="cairn-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {loading && <SkeletonRows />}
          {workflows.map((workflow) => (
            <tr
              key={workflow.slug}
              className={`cairn-table__row${props.highlight === workflow.slug ? ' cairn-table__row--highlight' : ''}`}
              data-testid={`workflow-row-${workflow.slug}`}
              onClick={(event) => {
                if (!(event.target as Element).closest('a, button, [role="menu"]')) props.onOpen(workflow);
              }}
            >
              <td>
                <Link href={`/workflows/${workflow.slug}`} className="cairn-table__name" data-testid={`open-workflow-${workflow.slug}`}>
                  {workflow.name}
                </Link>
                <code className="cairn-table__slug-inline">{workflow.slug}</code>
              </td>
              <td>
                <code className="cairn-slug">{workflow.slug}</code>
              </td>
              <td>
                {workflow.activeVersion ? (
                  <span className="cairn-table__published">
                    <span className="cairn-badge cairn-badge--ok" title={`Version ${workflow.activeVersion} takes new runs`} data-testid="active-version">
                      <span className="cairn-badge__dot" aria-hidden="true" />v{workflow.activeVersion} active
                    </span>
                    <Link
                      href={`/workflows/${workflow.slug}/drain`}
                      className="cairn-table__drain"
                      data-testid={`drain-link-${workflow.slug}`}
                      aria-label={`Versions of ${workflow.name} and their runs in flight`}
                      title="Each version's runs in flight, and where they wait"
                    >
                      versions
                    </Link>
                  </span>
                ) : (
                  <span className="cairn-badge" title="Not published yet: it cannot be run" data-testid="active-version">
                    Draft only
                  </span>
                )}
              </td>
              <td>
                <TriggersCell slug={workflow.slug} />
              </td>
              <td>
                <time className="cairn-muted" dateTime={workflow.updatedAt} title={new Date(workflow.updatedAt).toLocaleString()}>
                  {relativeTime(workflow.updatedAt, now)}
                </time>
              </td>
              <td className="cairn-table__actions">
                <RowMenu label={`Actions for ${workflow.name}`} testId={`workflow-actions-${workflow.slug}`} items={menuItems(workflow, props)} />
              </td>
            </tr>
          ))}
          {!loading && workflows.length === 0 && (
            <tr>
              <td colSpan={6} className="cairn-table__empty">
                No workflow matches “{filter}”.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

function menuItems(workflow: WorkflowSummary, props: TableProps): MenuItem[] {
  const act = (action: RowAction) => () => props.onAction(action, workflow);
  const items: MenuItem[] = [{ label: 'Open in editor', testId: 'open-workflow', onSelect: () => props.onOpen(workflow) }];
  if (props.canEdit && workflow.activeVersion) items.push({ label: 'Start run…', testId: 'start-run', onSelect: act('start') });
  if (props.canEdit) {
    items.push({ label: 'Rename…', testId: 'rename-workflow', onSelect: act('rename') }, { label: 'Duplicate…', testId: 'duplicate-workflow', onSelect: act('duplicate') });
  }
  items.push({ label: `Export ${workflow.slug}.json`, testId: 'export-workflow', onSelect: act('export') });
  if (props.canEdit) items.push({ label: 'Delete…', testId: 'delete-workflow', tone: 'danger', onSelect: act('delete') });
  return items;
}

function SkeletonRows() {
  return (
    <>
      {[0, 1, 2].map((row) => (
        <tr key={row} aria-hidden="true">
          {[80, 56, 36, 40, 32].map((width, cell) => (
            <td key={cell}>
              <span className="cairn-skeleton" style={{ width: `${width}%` }} />
            </td>
          ))}
          <td />
        </tr>
      ))}
    </>
  );
}

function EmptyState({ canEdit, onCreate, onImport }: { canEdit: boolean; onCreate(): void; onImport(): void }) {
  return (
    <section className="cairn-card cairn-empty" data-testid="workflows-empty">
      <span className="cairn-empty__icon">
        <StonesIcon />
      </span>
      <h2>No workflows yet</h2>
      <p className="cairn-muted">{canEdit ? 'Start from an empty canvas, or import a workflow file (cairn.graph JSON) exported from another Cairn.' : 'An editor has not created any workflows yet.'}</p>
      {canEdit && (
        <div className="cairn-empty__actions">
          <button type="button" className="cairn-button cairn-button--secondary" onClick={onImport}>
            <UploadIcon /> Import
          </button>
          <button type="button" className="cairn-button cairn-button--primary" onClick={onCreate}>
            <PlusIcon /> New workflow
          </button>
        </div>
      )}
    </section>
  );
}
