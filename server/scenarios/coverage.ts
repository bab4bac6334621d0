// Coverage: which nodes and edges of a graph the scenarios' runs reached. A node is reached when it
// was entered; an edge when its source took the edge's port and its target was entered (or, for a
// join, the arrival on that edge was recorded) after that.
import type { Graph } from '../../shared/graph/graph.schema.js';
import type { HistoryRecord } from '../engine/store.js';

export interface Reached {
  nodes: string[];
  edges: string[];
}

export function reachedBy(graph: Graph, history: readonly HistoryRecord[]): Reached {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  const portTakenAt = new Map<string, number>();
  for (const event of history) {
    if (!event.nodeId) continue;
    if (event.type === 'nodeEntered') {
      nodes.add(event.nodeId);
      for (const edge of graph.edges) {
        const taken = portTakenAt.get(`${edge.source}.${edge.sourcePort}`);
        if (edge.target === event.nodeId && taken !== undefined && taken < event.seq) edges.add(edge.id);
      }
    } else if (event.type === 'joinArrived') {
      const edgeId = (event.data as { edgeId?: string } | undefined)?.edgeId;
      if (edgeId) edges.add(edgeId);
    } else if (event.type === 'nodeCompleted') {
      const port = (event.data as { port?: string } | undefined)?.port;
      if (port) portTakenAt.set(`${event.nodeId}.${port}`, event.seq);
    }
  }
  return { nodes: [...nodes], edges: [...edges] };
}

export interface Coverage {
  nodes: { reached: number; total: number; missed: string[] };
  edges: { reached: number; total: number; missed: string[] };
}

/** The union of what several runs reached, against the whole graph. */
export function coverageOf(graph: Graph, reached: readonly Reached[]): Coverage {
  const nodes = new Set(reached.flatMap((entry) => entry.nodes));
  const edges = new Set(reached.flatMap((entry) => entry.edges));
  const missedNodes = graph.nodes.map((node) => node.id).filter((id) => !nodes.has(id));
  const missedEdges = graph.edges.filter((edge) => !edges.has(edge.id)).map((edge) => `${edge.id} (${edge.source}.${edge.sourcePort} → ${edge.target})`);
  return {
    nodes: { reached: graph.nodes.length - missedNodes.length, total: graph.nodes.length, missed: missedNodes },
    edges: { reached: graph.edges.length - missedEdges.length, total: graph.edges.length, missed: missedEdges },
  };
}

export const fullyCovered = (coverage: Coverage): boolean => coverage.nodes.missed.length === 0 && coverage.edges.missed.length === 0;
