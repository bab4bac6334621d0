// What an expression of one node can read, as a tree for autocomplete (DESIGN §2's evaluation root):
// `input.…` from the start's input schema, `nodes.<id>.…` for the nodes that run before this one —
// their declared output where the graph or the action says it, else what they gave in the last run —
// and `instance.…`. Pure: the inspector builds it from the graph, the actions and the last run's data.
import type { ActionDescription } from '../../../shared/runs/actions.js';
import type { Graph } from '../../../shared/graph/graph.schema.js';
import type { EvaluationRoot } from '../../../shared/expressions.js';
import { isRecord } from './config-fields.js';

export interface ScopeEntry {
  name: string;
  /** A word on what it is: a type, a node's label. */
  detail?: string;
  children?: ScopeEntry[];
}

/** The newest run's evaluation root (tRPC runs.latestData). */
export interface LastRunData {
  runId: string;
  status: string;
  root: EvaluationRoot;
}

/** Deep enough for real payloads, small enough that a huge output cannot flood the list. */
const MAX_DEPTH = 5;
const MAX_KEYS = 100;

const INSTANCE: ScopeEntry[] = [
  { name: 'id', detail: 'run id' },
  { name: 'workflow', detail: 'slug' },
  { name: 'version', detail: 'number' },
  { name: 'startedAt', detail: 'date-time' },
];

const typeWord = (schema: Record<string, unknown>): string | undefined => {
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : typeof schema.type === 'string' ? schema.type : undefined;
  return type ?? (Array.isArray(schema.enum) ? 'choice' : undefined);
};

/** The names under a JSON Schema: its properties (an array's items' properties, as JSONata maps over arrays). */
export function fromSchema(schema: unknown, depth = 0): ScopeEntry[] {
  if (!isRecord(schema) || depth >= MAX_DEPTH) return [];
  if (isRecord(schema.items)) return fromSchema(schema.items, depth);
  if (!isRecord(schema.properties)) return [];
  return Object.entries(schema.properties)
    .slice(0, MAX_KEYS)
    .map(([name, property]) => {
      const children = fromSchema(property, depth + 1);
      const detail = isRecord(property) ? [typeWord(property), typeof property.title === 'string' ? property.title : undefined].filter(Boolean).join(' · ') : undefined;
      return { name, ...(detail ? { detail } : {}), ...(children.length ? { children } : {}) };
    });
}

const valueWord = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** The names under a value seen in a run: an object's keys (an array's items' keys, merged). */
export function fromData(value: unknown, depth = 0): ScopeEntry[] {
  if (depth >= MAX_DEPTH) return [];
  if (Array.isArray(value)) return value.slice(0, 20).reduce<ScopeEntry[]>((merged, item) => merge(merged, fromData(item, depth)), []);
  if (!isRecord(value)) return [];
  return Object.entries(value)
    .slice(0, MAX_KEYS)
    .map(([name, item]) => {
      const children = fromData(item, depth + 1);
      return { name, detail: valueWord(item), ...(children.length ? { children } : {}) };
    });
}

/** Entries of `first`, then those of `second` it lacks; children merged the same way. */
export function merge(first: ScopeEntry[], second: ScopeEntry[]): ScopeEntry[] {
  const result = first.map((entry) => ({ ...entry }));
  for (const entry of second) {
    const same = result.find((candidate) => candidate.name === entry.name);
    if (!same) result.push(entry);
    else if (entry.children) same.children = merge(same.children ?? [], entry.children);
  }
  return result;
}

/** What a node of this kind declares it outputs, as JSON Schema, where that is known before running. */
function declaredOutput(node: Graph['nodes'][number], actions: readonly ActionDescription[]): unknown {
  const config = node.config;
  switch (node.kind) {
    case 'start':
      return config.inputSchema;
    case 'step':
      return actions.find((action) => action.name === config.action)?.outputSchema;
    case 'ai':
      return config.outputSchema;
    case 'approval':
      return {
        type: 'object',
        properties: {
          decision: { type: 'string', enum: ['approved', 'rejected'] },
          by: { type: 'string' },
          at: { type: 'string', title: 'date-time' },
          comment: { type: 'string' },
          form: isRecord(config.form) ? config.form : { type: 'object' },
        },
      };
    default:
      return undefined;
  }
}

/**
 * The ids of the nodes a path of edges leads from to `nodeId` (the validator's "runs before"): their
 * output is there when it runs. One walk back along the edges, since it runs on every keystroke.
 */
export function upstreamIds(graph: Graph, nodeId: string): string[] {
  const incoming = new Map<string, string[]>();
  for (const edge of graph.edges) incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge.source]);
  const found = new Set<string>();
  const queue = [...(incoming.get(nodeId) ?? [])];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    queue.push(...(incoming.get(id) ?? []));
  }
  return graph.nodes.filter((node) => found.has(node.id)).map((node) => node.id);
}

export interface ScopeOptions {
  graph: Graph;
  nodeId: string;
  actions: readonly ActionDescription[];
  lastRun?: LastRunData | null;
}

export function expressionScope({ graph, nodeId, actions, lastRun }: ScopeOptions): ScopeEntry[] {
  const start = graph.nodes.find((node) => node.kind === 'start');
  const seen = lastRun?.root;
  const input = merge(fromSchema(start?.config.inputSchema), fromData(seen?.input));
  const nodes = upstreamIds(graph, nodeId).map((id): ScopeEntry => {
    const node = graph.nodes.find((candidate) => candidate.id === id)!;
    const children = merge(fromSchema(declaredOutput(node, actions)), fromData(seen?.nodes?.[id]));
    return { name: id, detail: node.label ? `${node.label} (${node.kind})` : node.kind, ...(children.length ? { children } : {}) };
  });
  return [
    { name: 'input', detail: 'the run’s input', ...(input.length ? { children: input } : {}) },
    { name: 'nodes', detail: 'outputs of earlier nodes', ...(nodes.length ? { children: nodes } : {}) },
    { name: 'instance', detail: 'this run', children: INSTANCE },
  ];
}
