// What the Tests panel paints on the editor's canvas, as pure functions of the graph and the results:
// a scenario's path (its nodes and the edges it took), the coverage of all scenarios (what no scenario
// reached), and which "run to here" results an edit made stale.
import type { Graph } from '../../../shared/graph/graph.schema.js';

/** The edges a path took: for each step of the path, an edge from the node before it to it. */
export function pathEdges(graph: Graph, path: readonly string[]): string[] {
  const taken = new Set<string>();
  for (let index = 1; index < path.length; index++) {
    const edge = graph.edges.find((candidate) => candidate.source === path[index - 1] && candidate.target === path[index]);
    if (edge) taken.add(edge.id);
  }
  return [...taken];
}

/** The runner names a missed edge "e1 (a.ok → b)": its id is the first word. */
export function missedEdgeIds(missed: readonly string[]): string[] {
  return missed.map((entry) => entry.split(' ')[0]);
}

const signature = (node: Graph['nodes'][number]) => JSON.stringify([node.kind, node.config]);

/**
 * The nodes whose results no longer hold because `current` differs from the graph `ran` was run on:
 * every node changed, added or removed, whose edges changed, and everything downstream of those.
 */
export function staleNodes(ran: Graph, current: Graph): Set<string> {
  const before = new Map(ran.nodes.map((node) => [node.id, signature(node)]));
  const changed = new Set(current.nodes.filter((node) => before.get(node.id) !== signature(node)).map((node) => node.id));
  const edgeKey = (edge: Graph['edges'][number]) => `${edge.source}.${edge.sourcePort}>${edge.target}`;
  const oldEdges = new Set(ran.edges.map(edgeKey));
  const newEdges = new Set(current.edges.map(edgeKey));
  for (const edge of current.edges) if (!oldEdges.has(edgeKey(edge))) changed.add(edge.target);
  for (const edge of ran.edges) if (!newEdges.has(edgeKey(edge))) changed.add(edge.target);
  const stale = new Set<string>();
  const queue = [...changed];
  while (queue.length) {
    const id = queue.shift()!;
    if (stale.has(id)) continue;
    stale.add(id);
    for (const edge of current.edges) if (edge.source === id) queue.push(edge.target);
  }
  return stale;
}

export type Mark = 'path' | 'unreached' | 'reached';

/** How each mark looks (tokens only); nodes get an outline, edges a stroke. */
const NODE_LOOK: Record<Mark, string> = {
  path: 'outline: 3px solid var(--cairn-ok); outline-offset: 3px; border-radius: var(--cairn-radius);',
  reached: 'outline: 2px solid var(--cairn-info-border); outline-offset: 3px; border-radius: var(--cairn-radius);',
  unreached: 'outline: 3px dashed var(--cairn-warning-solid); outline-offset: 3px; border-radius: var(--cairn-radius); opacity: 0.55;',
};
const EDGE_LOOK: Record<Mark, string> = {
  path: 'stroke: var(--cairn-ok); stroke-width: 3px;',
  reached: 'stroke: var(--cairn-info-border); stroke-width: 2px;',
  unreached: 'stroke: var(--cairn-warning-solid); stroke-width: 2.5px; stroke-dasharray: 6 4;',
};

const escapeId = (value: string) => (typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(value) : value.replace(/["\\]/g, '\\$&'));

/** CSS that marks nodes and edges by id on the editor's canvas (React Flow puts data-id on both). */
export function markCss(marks: { nodes?: Partial<Record<Mark, readonly string[]>>; edges?: Partial<Record<Mark, readonly string[]>> }): string {
  const rules: string[] = [];
  for (const [mark, ids] of Object.entries(marks.nodes ?? {}) as [Mark, string[]][]) {
    if (ids.length) rules.push(`${ids.map((node) => `.cairn-canvas .react-flow__node[data-id="${escapeId(node)}"]`).join(', ')} { ${NODE_LOOK[mark]} }`);
  }
  for (const [mark, ids] of Object.entries(marks.edges ?? {}) as [Mark, string[]][]) {
    if (ids.length) rules.push(`${ids.map((edge) => `.cairn-canvas .react-flow__edge[data-id="${escapeId(edge)}"] .react-flow__edge-path`).join(', ')} { ${EDGE_LOOK[mark]} }`);
  }
  return rules.join('\n');
}
