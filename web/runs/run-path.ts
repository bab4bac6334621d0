// Where a run has been and where it is, read from its history and state: the nodes entered (and how
// often), the edges taken, the current positions and the node it failed at. Pure, for the canvas.
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { RunError } from '../../shared/runs/errors.js';
import type { HistoryEntry } from '../../shared/runs/history.js';
import { isFinished } from '../../shared/runs/status.js';

export type NodeRunState = 'current' | 'failed' | 'stopped' | 'visited' | 'unvisited';

export interface RunPathInput {
  graph: Graph;
  history: readonly HistoryEntry[];
  status: string;
  waitingOn: readonly { nodeId: string }[];
  tokens: readonly { nodeId: string; compensating?: boolean }[];
  error: Pick<RunError, 'nodeId'> | null;
}

export interface RunPath {
  /** Times each node was entered. */
  visits: Record<string, number>;
  takenEdges: Set<string>;
  /** Nodes a token is at or the run waits at (only while the run is unfinished). */
  current: Set<string>;
  failed: Set<string>;
  /** Where a finished run that did not complete still stood (e.g. the wait it was cancelled in). */
  stopped: Set<string>;
  /** Steps whose compensation ran (saga), and whether it succeeded. */
  compensated: Record<string, 'ok' | 'failed'>;
}

export function runPath(input: RunPathInput): RunPath {
  const { graph, history } = input;
  const incoming = new Map<string, Graph['edges']>();
  for (const edge of graph.edges) incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge]);

  const visits: Record<string, number> = {};
  const takenEdges = new Set<string>();
  const compensated: RunPath['compensated'] = {};
  // The port each node last left by ("*" when the event names none: a parallel's every edge).
  const leftBy = new Map<string, string>();
  // Visits entered and not yet left, per node.
  const open: Record<string, number> = {};
  const arrive = (nodeId: string) => {
    for (const edge of incoming.get(nodeId) ?? []) {
      const port = leftBy.get(edge.source);
      if (port === '*' || port === edge.sourcePort) takenEdges.add(edge.id);
    }
  };

  for (const event of history) {
    const nodeId = event.nodeId;
    if (!nodeId) continue;
    switch (event.type) {
      case 'nodeEntered':
        visits[nodeId] = (visits[nodeId] ?? 0) + 1;
        open[nodeId] = (open[nodeId] ?? 0) + 1;
        arrive(nodeId);
        break;
      case 'joinArrived':
        if (event.data.edgeId) takenEdges.add(event.data.edgeId);
        else arrive(nodeId);
        break;
      case 'nodeCompleted':
        leftBy.set(nodeId, event.data.port ?? '*');
        open[nodeId] = Math.max((open[nodeId] ?? 0) - 1, 0);
        break;
      case 'compensationCompleted':
        compensated[nodeId] = 'ok';
        break;
      case 'compensationFailed':
        compensated[nodeId] = 'failed';
        break;
    }
  }

  const current = new Set<string>();
  if (!isFinished(input.status)) {
    for (const wait of input.waitingOn) current.add(wait.nodeId);
    for (const token of input.tokens) current.add(token.nodeId);
  }
  const failed = new Set<string>();
  const errorNode = input.error?.nodeId;
  if (input.status === 'failed' && errorNode) failed.add(errorNode);
  const stopped = new Set<string>();
  if (input.status === 'failed' || input.status === 'cancelled') {
    for (const [nodeId, count] of Object.entries(open)) if (count > 0 && !failed.has(nodeId)) stopped.add(nodeId);
  }
  return { visits, takenEdges, current, failed, stopped, compensated };
}

export function nodeRunState(path: RunPath, nodeId: string): NodeRunState {
  if (path.failed.has(nodeId)) return 'failed';
  if (path.current.has(nodeId)) return 'current';
  if (path.stopped.has(nodeId)) return 'stopped';
  return path.visits[nodeId] ? 'visited' : 'unvisited';
}
