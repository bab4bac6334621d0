// Warnings about a graph that is valid but probably not what its author meant: they do not block
// publishing (the publish answer carries them beside the version) and the editor shows them live.
// Sub-workflows that can start their own workflow are warned about too (subflow-cycles.ts): that
// check needs other workflows' graphs, these need only this one.
import type { Graph, GraphNode } from './graph/graph.schema.js';
import { getNodeKind } from './nodes/registry.js';

export type WarningCode = 'PORT_LEADS_NOWHERE' | 'NO_TIMEOUT' | 'COMPENSATION_NEVER_RUNS' | 'SUBFLOW_SELF_START';

export interface Warning {
  code: WarningCode;
  message: string;
  nodeId?: string;
  /** The config field to change ("timeout", "compensate"), when there is one. */
  field?: string;
  /** The output port concerned, for ports that lead nowhere. */
  port?: string;
}

/** What happens when a port with no edge is taken: the run fails, with this cause. */
const WHEN_TAKEN: Record<string, string> = {
  error: 'when it fails (after its retries), the run fails',
  timeout: 'when it times out, the run fails',
  rejected: 'a rejection fails the run',
  fallback: 'when the model gives no valid answer, the run fails',
};

/** The ports of `node` that can be taken but have no edge, among those that mean something went wrong. */
function openFailurePorts(node: GraphNode, connected: ReadonlySet<string>): string[] {
  const kind = getNodeKind(node.kind);
  if (!kind) return [];
  return kind.ports.filter((port) => {
    if (!(port in WHEN_TAKEN) || connected.has(`${node.id}\u0000${port}`)) return false;
    // Without a timeout set, the timeout port is never taken (NO_TIMEOUT says so instead).
    return port !== 'timeout' || node.config.timeout !== undefined;
  });
}

export function graphWarnings(graph: Graph): Warning[] {
  const connected = new Set(graph.edges.map((edge) => `${edge.source}\u0000${edge.sourcePort}`));
  const warnings: Warning[] = [];
  const failurePoints = new Set<string>();
  for (const node of graph.nodes) {
    const open = openFailurePorts(node, connected);
    if (open.length > 0 || node.kind === 'fail') failurePoints.add(node.id);
    for (const port of open) {
      warnings.push({
        code: 'PORT_LEADS_NOWHERE',
        nodeId: node.id,
        port,
        ...(port === 'timeout' ? { field: 'timeout' } : {}),
        message: `node "${node.id}": its ${port} port leads nowhere, so ${WHEN_TAKEN[port]}; connect it to handle that case`,
      });
    }
    // An approval that decides automatically at its deadline (decideAfter) does not wait forever either.
    if ((node.kind === 'event' || node.kind === 'approval') && node.config.timeout === undefined && node.config.decideAfter === undefined) {
      const what = node.kind === 'event' ? `a signal ("${String(node.config.event ?? '')}")` : 'a decision';
      warnings.push({
        code: 'NO_TIMEOUT',
        nodeId: node.id,
        field: 'timeout',
        message: `node "${node.id}" waits for ${what} with no timeout: if it never comes, the run waits forever; set a timeout`,
      });
    }
  }
  warnings.push(...compensationWarnings(graph, failurePoints));
  return warnings;
}

/**
 * A step's `compensate` runs when the run fails after the step succeeded. It never runs (except when
 * someone cancels the run asking for compensation) if nothing after the step can fail the run: no
 * `fail` node and no failure port left open on a path from the step's `ok` port, nor on a path
 * running beside it (a parallel node that leads to the step).
 */
function compensationWarnings(graph: Graph, failurePoints: ReadonlySet<string>): Warning[] {
  const next = new Map<string, { port: string; target: string }[]>();
  for (const edge of graph.edges) next.set(edge.source, [...(next.get(edge.source) ?? []), { port: edge.sourcePort, target: edge.target }]);
  const reach = (starts: string[]): Set<string> => {
    const seen = new Set<string>();
    const queue = [...starts];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const edge of next.get(id) ?? []) queue.push(edge.target);
    }
    return seen;
  };
  const parallels = graph.nodes.filter((node) => node.kind === 'parallel').map((node) => ({ id: node.id, reached: reach([node.id]) }));
  const warnings: Warning[] = [];
  for (const node of graph.nodes) {
    if (node.kind !== 'step' || !node.config.compensate) continue;
    const after = reach((next.get(node.id) ?? []).filter((edge) => edge.port === 'ok').map((edge) => edge.target));
    for (const parallel of parallels) if (parallel.reached.has(node.id)) for (const id of parallel.reached) after.add(id);
    if ([...after].some((id) => failurePoints.has(id))) continue;
    warnings.push({
      code: 'COMPENSATION_NEVER_RUNS',
      nodeId: node.id,
      field: 'compensate',
      message: `node "${node.id}" has a compensate action, but nothing after it can fail the run (no fail node, no error, timeout, rejected or fallback port left open), so it runs only if someone cancels the run with compensation`,
    });
  }
  return warnings;
}
