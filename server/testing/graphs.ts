// A compact way to write graph fixtures in tests: nodes as [id, kind, config] and edges as
// "source.port -> target". The result goes through the real graph schema.
import { graphSchema, GRAPH_FORMAT, type Graph } from '../../shared/graph/graph.schema.js';

export type NodeSpec = [id: string, kind: string, config?: Record<string, unknown>];

export function buildGraph(nodes: NodeSpec[], edges: string[]): Graph {
  return graphSchema.parse({
    format: GRAPH_FORMAT,
    nodes: nodes.map(([id, kind, config = {}], index) => ({ id, kind, config, position: { x: index * 240, y: 0 } })),
    edges: edges.map((text, index) => {
      const match = /^\s*([\w-]+)\.([\w-]+)\s*->\s*([\w-]+)\s*$/.exec(text);
      if (!match) throw new Error(`edge "${text}" is not "source.port -> target"`);
      return { id: `e${index + 1}`, source: match[1], sourcePort: match[2], target: match[3] };
    }),
  });
}

/** start → the given steps in a line (each on `ok`) → end. */
export function lineOfSteps(steps: { id: string; action: string; input?: Record<string, unknown>; [key: string]: unknown }[]): Graph {
  const nodes: NodeSpec[] = [['start', 'start'], ...steps.map(({ id, ...config }): NodeSpec => [id, 'step', config]), ['end', 'end']];
  const ids = ['start', ...steps.map((step) => step.id), 'end'];
  const edges = ids.slice(1).map((target, index) => `${ids[index]}.${index === 0 ? 'next' : 'ok'} -> ${target}`);
  return buildGraph(nodes, edges);
}
