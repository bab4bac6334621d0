// Node labels for the runs list: a row names the node a run waits or failed at by its label
// ("Manager approval"), not its id ("manager"). Labels come from each run's own version, which never
// changes once published, so each version's graph is fetched once per page load and kept.
import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTRPC } from '../app/trpc.js';

export type NodeLabeler = (run: { workflow: string; version: number }, nodeId: string) => string;

export function useNodeLabels(runs: readonly { workflow: string; version: number }[]): NodeLabeler {
  const trpc = useTRPC();
  const versions = useMemo(() => [...new Map(runs.map((run) => [`${run.workflow}@${run.version}`, { slug: run.workflow, version: run.version }])).values()], [runs]);
  const graphs = useQueries({
    queries: versions.map((key) => ({ ...trpc.workflows.version.queryOptions(key), staleTime: Infinity, gcTime: 30 * 60_000 })),
  });
  const labels = new Map<string, Map<string, string>>();
  graphs.forEach((query, index) => {
    const nodes = (query.data?.graph as { nodes?: { id: string; label?: string }[] } | undefined)?.nodes;
    if (nodes) labels.set(`${versions[index].slug}@${versions[index].version}`, new Map(nodes.map((node) => [node.id, node.label?.trim() || node.id])));
  });
  // Until a version's graph arrives (or if it cannot be read) the id stands in.
  return (run, nodeId) => labels.get(`${run.workflow}@${run.version}`)?.get(nodeId) ?? nodeId;
}

/** What a run waits on, in words beside the node's label; left out when the label already says it. */
export function waitPhrase(label: string, kindLabel: string): string | null {
  const phrase = kindLabel.toLowerCase();
  return label.toLowerCase().includes(phrase) ? null : phrase;
}
