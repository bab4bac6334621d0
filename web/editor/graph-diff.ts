// A visual diff of two graphs: which nodes and edges were added, removed or changed, and for each
// changed node which fields changed, from what to what.
import type { Graph, GraphEdge, GraphNode } from '../../shared/graph/graph.schema.js';
import type { DiffMark, FieldChange } from '../canvas/flow-projection.js';

export interface GraphDiff {
  nodes: Record<string, DiffMark>;
  edges: Record<string, DiffMark>;
  /** Per changed node, the fields that differ, in the node's own field order. */
  fields: Record<string, FieldChange[]>;
  /** The graph to draw: the newer one plus the removed elements of the older one. */
  merged: Graph;
}

const edgeKey = (edge: GraphEdge) => `${edge.source}\u0000${edge.sourcePort}\u0000${edge.target}`;

const isPlainObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** Structural equality of JSON values; key order does not count (JSON.stringify would). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!sameValue(a[key], b[key])) return false;
  return true;
}

/**
 * The differing leaves of two config values: objects are walked key by key (so a retry policy's
 * changed maxAttempts is "config.retry.maxAttempts", not the whole policy); arrays and scalars are
 * compared whole. Keys in `after`'s order, then the removed ones.
 */
function valueChanges(path: string, before: unknown, after: unknown, out: FieldChange[]): void {
  if (sameValue(before, after)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...Object.keys(after), ...Object.keys(before).filter((key) => !Object.hasOwn(after, key))];
    for (const key of keys) valueChanges(`${path}.${key}`, before[key], after[key], out);
    return;
  }
  out.push({ path, before, after });
}

/** What differs between two versions of one node; positions alone are no change. */
export function nodeFieldChanges(before: GraphNode, after: GraphNode): FieldChange[] {
  const changes: FieldChange[] = [];
  if (before.kind !== after.kind) changes.push({ path: 'kind', before: before.kind, after: after.kind });
  if ((before.label ?? '') !== (after.label ?? '')) changes.push({ path: 'label', before: before.label, after: after.label });
  valueChanges('config', before.config ?? {}, after.config ?? {}, changes);
  return changes;
}

/** Compare `before` (e.g. a version) with `after` (e.g. the draft, or a later version). */
export function diffGraphs(before: Graph, after: Graph): GraphDiff {
  const nodes: Record<string, DiffMark> = {};
  const edges: Record<string, DiffMark> = {};
  const fields: Record<string, FieldChange[]> = {};
  const oldNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const newIds = new Set(after.nodes.map((node) => node.id));
  for (const node of after.nodes) {
    const old = oldNodes.get(node.id);
    if (!old) {
      nodes[node.id] = 'added';
      continue;
    }
    const changes = nodeFieldChanges(old, node);
    if (changes.length) {
      nodes[node.id] = 'changed';
      fields[node.id] = changes;
    }
  }
  const removedNodes = before.nodes.filter((node) => !newIds.has(node.id));
  for (const node of removedNodes) nodes[node.id] = 'removed';

  const oldEdges = new Set(before.edges.map(edgeKey));
  const newEdges = new Set(after.edges.map(edgeKey));
  for (const edge of after.edges) if (!oldEdges.has(edgeKey(edge))) edges[edge.id] = 'added';
  const removedEdges = before.edges.filter((edge) => !newEdges.has(edgeKey(edge))).map((edge) => ({ ...edge, id: `removed:${edge.id}` }));
  for (const edge of removedEdges) edges[edge.id] = 'removed';

  return { nodes, edges, fields, merged: { ...after, nodes: [...after.nodes, ...removedNodes], edges: [...after.edges, ...removedEdges] } };
}

/** A value as one short line for a diff: strings quoted, absent as "—", long values clipped. */
export function formatDiffValue(value: unknown, max = 60): string {
  if (value === undefined) return '—';
  const text = typeof value === 'string' ? `“${value}”` : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "config.retry.maxAttempts" → "retry.maxAttempts": the config prefix says nothing to an author. */
export const fieldName = (path: string) => (path.startsWith('config.') ? path.slice('config.'.length) : path);

export interface DiffEntry {
  /** The node's id, or the edge's (removed edges are "removed:<id>"). */
  id: string;
  mark: DiffMark;
  /** What a person calls it: the node's label (or id), or "source —port→ target" for an edge. */
  title: string;
  fields: FieldChange[];
}

/** The diff as a list to read: nodes in the newer graph's order, then removed nodes, then edges. */
export function diffEntries(diff: GraphDiff): DiffEntry[] {
  const byId = new Map(diff.merged.nodes.map((node) => [node.id, node]));
  const name = (id: string) => byId.get(id)?.label || id;
  const entries: DiffEntry[] = [];
  for (const node of diff.merged.nodes) {
    const mark = diff.nodes[node.id];
    if (mark) entries.push({ id: node.id, mark, title: node.label ? `${node.label} (${node.id})` : node.id, fields: diff.fields[node.id] ?? [] });
  }
  for (const edge of diff.merged.edges) {
    const mark = diff.edges[edge.id];
    if (mark) entries.push({ id: edge.id, mark, title: `${name(edge.source)} —${edge.sourcePort}→ ${name(edge.target)}`, fields: [] });
  }
  return entries;
}
