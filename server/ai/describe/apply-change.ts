// A model's change to a graph, applied only where the instruction reaches. The answer names the
// nodes it adds or replaces and the nodes and edges it removes; everything it leaves out stays as
// it was, byte for byte (positions included). A reply is refused — each reason fed back for repair —
// when it replaces or removes a node the instruction did not concern (one the author selected, or
// named by id or label in the instruction), removes an edge between such nodes other than to put a
// new node in between, or names nodes or edges that do not exist.
import { graphEdgeSchema, graphNodeSchema, type Graph, type GraphNode } from '../../../shared/graph/graph.schema.js';
import { placeAdded } from './layout.js';

export interface ChangeScope {
  instruction: string;
  /** The nodes selected in the editor when the instruction was sent. */
  focus: readonly string[];
}

export type AppliedChange = { ok: true; graph: Graph; added: string[]; changed: string[]; removed: string[] } | { ok: false; problems: string[] };

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Whether the instruction concerns a node: selected, or named by id or by label (3 characters or more). */
export function concerns(scope: ChangeScope, node: GraphNode): boolean {
  if (scope.focus.includes(node.id)) return true;
  const text = scope.instruction.toLowerCase();
  const named = (name: string | undefined) => name !== undefined && name.length >= 3 && text.includes(name.toLowerCase());
  return named(node.id) || named(node.label);
}

const sameNode = (a: GraphNode, b: GraphNode) => a.kind === b.kind && (a.label ?? '') === (b.label ?? '') && JSON.stringify(a.config) === JSON.stringify(b.config);

export function applyChange(base: Graph, answer: unknown, scope: ChangeScope): AppliedChange {
  if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return { ok: false, problems: ['the answer must be a JSON object { nodes, removeNodes, edges, removeEdges }'] };
  const reply = answer as Record<string, unknown>;
  if ('format' in reply && !('removeNodes' in reply) && !('removeEdges' in reply)) {
    return { ok: false, problems: ['the answer is a whole graph; give only the nodes and edges the instruction concerns as { nodes, removeNodes, edges, removeEdges }'] };
  }
  const problems: string[] = [];
  const byId = new Map(base.nodes.map((node) => [node.id, node]));
  const nodes = new Map(byId);
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [index, raw] of list(reply.nodes).entries()) {
    const parsed = graphNodeSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(`nodes[${index}]: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'node'} ${issue.message}`).join('; ')}`);
      continue;
    }
    const node = parsed.data;
    const old = byId.get(node.id);
    if (!old) {
      added.push(node.id);
      nodes.set(node.id, node);
    } else if (!sameNode(old, node)) {
      if (!concerns(scope, old)) problems.push(`node "${node.id}" is not what the instruction is about; leave it out (to add a node, give it a new id)`);
      changed.push(node.id);
      nodes.set(node.id, { ...node, position: old.position });
    }
  }
  for (const id of list(reply.removeNodes)) {
    const old = typeof id === 'string' ? byId.get(id) : undefined;
    if (!old) problems.push(`removeNodes names ${JSON.stringify(id)}, which is no node of the graph`);
    else if (!concerns(scope, old)) problems.push(`node "${old.id}" is not what the instruction is about; do not remove it`);
    else (nodes.delete(old.id), removed.push(old.id));
  }
  const newEdges = list(reply.edges).flatMap((raw, index) => {
    const parsed = graphEdgeSchema.safeParse(raw);
    if (parsed.success) return [parsed.data];
    problems.push(`edges[${index}]: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'edge'} ${issue.message}`).join('; ')}`);
    return [];
  });
  const addedSet = new Set(added);
  const removedEdges = new Set<string>();
  for (const id of list(reply.removeEdges)) {
    const edge = base.edges.find((candidate) => candidate.id === id);
    if (!edge) {
      problems.push(`removeEdges names ${JSON.stringify(id)}, which is no edge of the graph`);
      continue;
    }
    const endsConcerned = [edge.source, edge.target].some((end) => removed.includes(end) || changed.includes(end) || (byId.has(end) && concerns(scope, byId.get(end)!)));
    const insertion = newEdges.some((next) => next.source === edge.source && next.sourcePort === edge.sourcePort && addedSet.has(next.target));
    if (!endsConcerned && !insertion) problems.push(`edge "${edge.id}" (${edge.source} → ${edge.target}) is not what the instruction is about; keep it, or put the new nodes in its place`);
    removedEdges.add(edge.id);
  }
  if (problems.length) return { ok: false, problems };
  const edges = [...base.edges.filter((edge) => !removedEdges.has(edge.id) && nodes.has(edge.source) && nodes.has(edge.target)), ...newEdges];
  const graph = placeAdded({ ...base, nodes: [...nodes.values()], edges }, addedSet);
  return { ok: true, graph, added, changed, removed };
}
