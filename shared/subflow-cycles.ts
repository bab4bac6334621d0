// Publish warnings for sub-workflows that can start the workflow being published again — directly
// (a subflow node names its own workflow) or through other workflows' active versions. They are
// warnings, not problems: recursion may be intended, and the depth limit (CAIRN_MAX_SUBFLOW_DEPTH)
// stops it at run time; but an author who did not mean it should hear of it before the first run.
import type { Graph } from './graph/graph.schema.js';
import type { Warning } from './graph-warnings.js';

export type { Warning } from './graph-warnings.js';

/** The workflows a graph's subflow nodes start, by node (nodes without a workflow are left out). */
export function subflowTargets(graph: Graph): { nodeId: string; workflow: string }[] {
  return graph.nodes.flatMap((node) => {
    const workflow = node.kind === 'subflow' ? (node.config as { workflow?: unknown }).workflow : undefined;
    return typeof workflow === 'string' && workflow ? [{ nodeId: node.id, workflow }] : [];
  });
}

/**
 * One warning per subflow node of `graph` (the workflow `slug`) from which `slug` can be started
 * again. `others` holds the active graphs of the workflows reachable from here, as far as the
 * caller loaded them; a workflow missing from it ends its chain.
 */
export function selfStartWarnings(graph: Graph, slug: string, others: ReadonlyMap<string, Graph>): Warning[] {
  return subflowTargets(graph).flatMap(({ nodeId, workflow }) => {
    if (workflow === slug) {
      return [{ code: 'SUBFLOW_SELF_START' as const, nodeId, field: 'workflow', message: `node "${nodeId}" starts this workflow ("${slug}") itself: each run starts another, until the sub-workflow depth limit fails the deepest` }];
    }
    const path = pathBack(workflow, slug, others);
    if (!path) return [];
    // A long chain is shown by its ends.
    const shown = path.length > 6 ? [...path.slice(0, 3).map(quote), `… (${(path.length - 5).toLocaleString('en')} more)`, ...path.slice(-2).map(quote)] : path.map(quote);
    const chain = shown.join(' → ');
    return [{ code: 'SUBFLOW_SELF_START' as const, nodeId, field: 'workflow', message: `node "${nodeId}" starts ${chain}, which starts this workflow ("${slug}") again: runs can nest until the sub-workflow depth limit fails the deepest` }];
  });
}

const quote = (slug: string) => `"${slug}"`;

/** The chain of workflows from `from` to one that starts `to`, breadth first (shortest), or undefined. */
function pathBack(from: string, to: string, others: ReadonlyMap<string, Graph>): string[] | undefined {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const current = queue.shift()!;
    const graph = others.get(current);
    if (!graph) continue;
    for (const { workflow } of subflowTargets(graph)) {
      if (workflow === to) {
        const path = [current];
        for (let step = previous.get(current); step; step = previous.get(step)) path.unshift(step);
        return path;
      }
      if (!previous.has(workflow)) {
        previous.set(workflow, current);
        queue.push(workflow);
      }
    }
  }
  return undefined;
}
