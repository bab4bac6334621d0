// Whether the names an expression reads exist when it runs (DESIGN §2's evaluation root): `input.<key>`
// declared by the start node's input schema, `nodes.<id>` of a node that runs before this one, and
// `instance.<id|workflow|version|startedAt>`, `callbacks.<id>` of an event node (its callback URL). A name outside the root evaluates to nothing — the
// trap of `{{ approved }}` — so each is a problem at publish, with what would fix it.
import type { Graph } from './graph/graph.schema.js';
import { rootReferences } from './expression-refs.js';
import { compileJsonSchema } from './json-schema.js';
import { getNodeKind } from './nodes/registry.js';

const ROOT_NAMES = ['input', 'nodes', 'instance', 'callbacks'];
const INSTANCE_FIELDS = ['id', 'workflow', 'version', 'startedAt'];

export interface NameScope {
  nodeIds: ReadonlySet<string>;
  /** The event nodes: `callbacks.<id>` names one of them. */
  eventNodeIds?: ReadonlySet<string>;
  /** Whether a path of edges leads from `from` to `to` (so `from` has run when `to` is entered). */
  reaches(from: string, to: string): boolean;
  /** The input's keys when the start's input schema declares them and admits no others. */
  inputKeys?: readonly string[];
}

export function nameScope(graph: Graph): NameScope {
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  // Forward reach, computed only for the nodes expressions name, once each: the editor validates on
  // every keystroke, and most graphs name a few nodes.
  const reached = new Map<string, Set<string>>();
  const reachable = (from: string): Set<string> => {
    let set = reached.get(from);
    if (set) return set;
    set = new Set<string>();
    const queue = [...(next.get(from) ?? [])];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (set.has(id)) continue;
      set.add(id);
      queue.push(...(next.get(id) ?? []));
    }
    reached.set(from, set);
    return set;
  };
  const start = graph.nodes.find((node) => node.kind === 'start');
  return {
    nodeIds: new Set(graph.nodes.map((node) => node.id)),
    eventNodeIds: new Set(graph.nodes.filter((node) => getNodeKind(node.kind)?.callbackTarget).map((node) => node.id)),
    reaches: (from, to) => reachable(from).has(to),
    inputKeys: declaredKeys(start?.config.inputSchema),
  };
}

/** The property names of an object schema that admits no others; undefined when any key may come. */
function declaredKeys(schema: unknown): string[] | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const { properties, additionalProperties, patternProperties } = schema as Record<string, unknown>;
  if (!properties || typeof properties !== 'object' || Object.keys(properties).length === 0) return undefined;
  if (patternProperties || (additionalProperties !== undefined && additionalProperties !== false)) return undefined;
  // A schema that does not compile is reported as such; its keys would only add noise.
  if (!compileJsonSchema(schema).ok) return undefined;
  return Object.keys(properties);
}

const list = (names: readonly string[]) => names.map((name) => `"${name}"`).join(', ');

export interface NameOptions {
  /** The node's own output exists when this runs (a step's compensation runs after the step succeeded). */
  selfRan?: boolean;
  /** The names an AI node's prompts may read as `vars.<name>` (its declared variables). */
  vars?: readonly string[];
}

/**
 * Problems with the root names of one JSONata source used by node `nodeId`. `selfRan`: the node's own
 * output exists when this runs (a step's compensation runs after the step succeeded).
 */
export function nameProblems(source: string, scope: NameScope, nodeId: string, options: NameOptions = {}): string[] {
  const problems: string[] = [];
  for (const [root, key] of rootReferences(source)) {
    if (root === 'vars' && options.vars) {
      if (key !== undefined && !options.vars.includes(key)) {
        problems.push(`vars.${key}: the node's variables declare no "${key}"${options.vars.length ? ` (it declares ${list(options.vars)})` : ''}`);
      }
    } else if (!ROOT_NAMES.includes(root)) {
      const asText = source.trim() === root ? `; for the text "${root}", write it without {{ }}` : '';
      problems.push(`"${root}" is not a name expressions can read (they start from input, nodes, instance or callbacks)${asText}`);
    } else if (key === undefined) {
      continue;
    } else if (root === 'nodes') {
      if (!scope.nodeIds.has(key)) problems.push(`nodes.${key}: there is no node "${key}"`);
      else if (!(options.selfRan && key === nodeId) && !scope.reaches(key, nodeId)) {
        problems.push(`nodes.${key}: node "${key}" does not run before "${nodeId}" (no path leads from it here), so its output is not there yet`);
      }
    } else if (root === 'callbacks') {
      if (scope.eventNodeIds && !scope.eventNodeIds.has(key)) {
        problems.push(`callbacks.${key}: ${scope.nodeIds.has(key) ? `node "${key}" is not an event node` : `there is no node "${key}"`}; callbacks.<id>.url is the callback URL of an event node`);
      }
    } else if (root === 'instance') {
      if (!INSTANCE_FIELDS.includes(key)) problems.push(`instance.${key}: instance has only ${list(INSTANCE_FIELDS)}`);
    } else if (scope.inputKeys && !scope.inputKeys.includes(key)) {
      problems.push(`input.${key}: the start node's input schema declares no "${key}" (it declares ${list(scope.inputKeys)})`);
    }
  }
  return [...new Set(problems)];
}
