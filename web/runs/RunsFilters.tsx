// The runs list's filters: workflow, version (of that workflow), status, and the node runs wait at
// (the nodes of the chosen version, else of the active one).
import { useQuery } from '@tanstack/react-query';
import type { Graph } from '../../shared/graph/graph.schema.js';
import { getNodeKind } from '../../shared/nodes/registry.js';
import { useTRPC } from '../app/trpc.js';
import { RUN_STATUSES } from './run-types.js';

export const FILTER_KEYS = ['workflow', 'version', 'status', 'waitingAt'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];


export function RunsFilters(props: { filters: Record<FilterKey, string>; workflows: { slug: string; name: string; activeVersion: number | null }[]; filtered: boolean; onChange(key: FilterKey, value: string): void; onClear(): void }) {
  const { filters, onChange } = props;
  const trpc = useTRPC();
  const slug = filters.workflow;
  const versions = useQuery({ ...trpc.workflows.versions.queryOptions({ slug }), enabled: Boolean(slug) });
  const graphVersion = filters.version ? Number(filters.version) : (versions.data?.find((version) => version.state === 'active')?.version ?? versions.data?.[0]?.version);
  const graph = useQuery({ ...trpc.workflows.version.queryOptions({ slug, version: graphVersion ?? 1 }), enabled: Boolean(slug && graphVersion) });
  const nodes = ((graph.data?.graph as Graph | undefined)?.nodes ?? []).filter((node) => !getNodeKind(node.kind)?.passThrough);
  const waitingUnknown = filters.waitingAt && !nodes.some((node) => node.id === filters.waitingAt);

  return (
    <div className="cairn-runs__filters" role="group" aria-label="Filters">
      <label className="cairn-filter">
        <span>Workflow</span>
        <select className="cairn-select" value={slug} onChange={(event) => onChange('workflow', event.target.value)} data-testid="filter-workflow">
          <option value="">All workflows</option>
          {props.workflows.map((workflow) => (
            <option key={workflow.slug} value={workflow.slug}>
              {workflow.name}
            </option>
          ))}
          {slug && !props.workflows.some((workflow) => workflow.slug === slug) && <option value={slug}>{slug}</option>}
        </select>
      </label>
      <label className="cairn-filter">
        <span>Version</span>
        <select className="cairn-select" value={filters.version} disabled={!slug} onChange={(event) => onChange('version', event.target.value)} data-testid="filter-version">
          <option value="">{slug ? 'All versions' : '—'}</option>
          {(versions.data ?? []).map((version) => (
            <option key={version.version} value={String(version.version)}>
              v{version.version} · {version.state}
            </option>
          ))}
          {filters.version && !versions.data?.some((version) => String(version.version) === filters.version) && <option value={filters.version}>v{filters.version}</option>}
        </select>
      </label>
      <label className="cairn-filter">
        <span>Status</span>
        <select className="cairn-select" value={filters.status} onChange={(event) => onChange('status', event.target.value)} data-testid="filter-status">
          <option value="">Any status</option>
          {RUN_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status[0].toUpperCase() + status.slice(1)}
            </option>
          ))}
        </select>
      </label>
      <label className="cairn-filter">
        <span>Waiting at</span>
        <select className="cairn-select" value={filters.waitingAt} disabled={!slug} onChange={(event) => onChange('waitingAt', event.target.value)} data-testid="filter-waiting">
          <option value="">{slug ? 'Any node' : 'Choose a workflow first'}</option>
          {nodes.map((node) => (
            <option key={node.id} value={node.id}>
              {node.label ? `${node.label} (${node.id})` : node.id}
            </option>
          ))}
          {waitingUnknown && <option value={filters.waitingAt}>{filters.waitingAt}</option>}
        </select>
      </label>
      {props.filtered && (
        <button type="button" className="cairn-button cairn-button--ghost cairn-button--small cairn-runs__clear" onClick={props.onClear} data-testid="filters-clear">
          Clear filters
        </button>
      )}
    </div>
  );
}
