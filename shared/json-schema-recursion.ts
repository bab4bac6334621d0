// Recursion a JSON Schema must not have, found on its application graph (json-schema-walk.ts):
// a loop of $refs and branches that checks the same value again without ever descending into it
// (validation recurses until the stack overflows), a fan-out of branches that checks one value
// exponentially many times, and recursion that checks one part of a nested value along two paths
// (the same blow-up, growing with the depth of the value; the schema analogue of a ReDoS pattern).
import { patternMatches, type SchemaGraph, type Step } from './json-schema-walk.js';

/** Subschema checks one value may cause through allOf/anyOf/oneOf/$ref and the like. */
export const MAX_CHECKS_PER_VALUE = 10_000;
/** Subschemas in one chain through $refs: ajv compiles a chain recursively (300 overflow its stack). */
export const MAX_REF_CHAIN = 256;

export function recursionProblems(graph: SchemaGraph): string[] {
  const loop = sameValueLoop(graph);
  if (loop) return [loop];
  const fanOut = checksPerValue(graph);
  if (fanOut) return [fanOut];
  const chain = longestChain(graph);
  if (chain) return [chain];
  const ambiguous = ambiguousRecursion(graph);
  return ambiguous ? [ambiguous] : [];
}

function adjacency(graph: SchemaGraph, keep: (step: Step) => boolean): number[][] {
  const next: number[][] = graph.schemas.map(() => []);
  for (const edge of graph.edges) if (keep(edge.step)) next[edge.from].push(edge.to);
  return next;
}

/** A cycle of same-value applicators, as a readable path; iterative so deep chains cannot overflow. */
function sameValueLoop(graph: SchemaGraph): string | undefined {
  const next = adjacency(graph, (step) => step.kind === 'same');
  const state = new Uint8Array(graph.schemas.length); // 0 new, 1 on the stack, 2 done
  for (let root = 0; root < next.length; root++) {
    if (state[root]) continue;
    const stack: { node: number; child: number }[] = [{ node: root, child: 0 }];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.child >= next[top.node].length) {
        state[top.node] = 2;
        stack.pop();
        continue;
      }
      const to = next[top.node][top.child++];
      if (state[to] === 1) {
        const path = stack.slice(stack.findIndex((frame) => frame.node === to)).map((frame) => graph.pointers[frame.node]);
        return `endless recursion: ${[...path, graph.pointers[to]].join(' → ')} checks the same value again without descending into it (a $ref loop through allOf/anyOf/oneOf/not/if/then/else or $ref alone); validation would never end`;
      }
      if (state[to] === 0) {
        state[to] = 1;
        stack.push({ node: to, child: 0 });
      }
    }
  }
  return undefined;
}

/** Same-value checks each subschema causes (the same-value graph is acyclic here), saturating. */
function checksPerValue(graph: SchemaGraph): string | undefined {
  const next = adjacency(graph, (step) => step.kind === 'same');
  const checks = new Float64Array(graph.schemas.length);
  for (const node of postOrder(next)) {
    checks[node] = Math.min(MAX_CHECKS_PER_VALUE + 1, 1 + next[node].reduce((sum, to) => sum + checks[to], 0));
    if (checks[node] > MAX_CHECKS_PER_VALUE) {
      return `${graph.pointers[node]} checks one value more than ${MAX_CHECKS_PER_VALUE.toLocaleString('en')} times through its branches and $refs (a $ref used several times at every level multiplies); simplify the schema`;
    }
  }
  return undefined;
}

function postOrder(next: number[][]): number[] {
  const order: number[] = [];
  const seen = new Uint8Array(next.length);
  for (let root = 0; root < next.length; root++) {
    if (seen[root]) continue;
    seen[root] = 1;
    const stack: { node: number; child: number }[] = [{ node: root, child: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.child < next[top.node].length) {
        const to = next[top.node][top.child++];
        if (!seen[to]) {
          seen[to] = 1;
          stack.push({ node: to, child: 0 });
        }
      } else {
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return order;
}

/**
 * The longest chain of subschemas, each reached from the one before, counting a whole recursive
 * component at its size (an upper bound on a chain inside it): what compiling may nest.
 */
function longestChain(graph: SchemaGraph): string | undefined {
  const all = adjacency(graph, () => true);
  const component = components(all);
  const count = Math.max(-1, ...component) + 1;
  const size = new Int32Array(count);
  const next: number[][] = Array.from({ length: count }, () => []);
  for (const id of component) size[id]++;
  for (const edge of graph.edges) if (component[edge.from] !== component[edge.to]) next[component[edge.from]].push(component[edge.to]);
  const chain = new Int32Array(count);
  for (const id of postOrder(next)) {
    chain[id] = size[id] + next[id].reduce((longest, to) => Math.max(longest, chain[to]), 0);
    if (chain[id] > MAX_REF_CHAIN) {
      const node = component.indexOf(id);
      return `the schema nests more than ${MAX_REF_CHAIN} subschemas deep through its $refs (from ${graph.pointers[node]}), over the limit`;
    }
  }
  return undefined;
}

/** Strongly connected components (Tarjan, iterative): component id per node. */
function components(next: number[][]): Int32Array {
  const count = next.length;
  const component = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const order = new Int32Array(count).fill(-1);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  for (let root = 0; root < count; root++) {
    if (order[root] >= 0) continue;
    const frames: { node: number; child: number }[] = [{ node: root, child: 0 }];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const top = frames[frames.length - 1];
      if (top.child < next[top.node].length) {
        const to = next[top.node][top.child++];
        if (order[to] < 0) {
          order[to] = low[to] = counter++;
          stack.push(to);
          onStack[to] = 1;
          frames.push({ node: to, child: 0 });
        } else if (onStack[to]) {
          low[top.node] = Math.min(low[top.node], order[to]);
        }
        continue;
      }
      frames.pop();
      if (frames.length > 0) low[frames[frames.length - 1].node] = Math.min(low[frames[frames.length - 1].node], low[top.node]);
      if (low[top.node] === order[top.node]) {
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component[member] = components;
        } while (member !== top.node);
        components++;
      }
    }
  }
  return component;
}

/** Whether two descending steps can reach the same part of one value (conservative: yes if unsure). */
function overlap(a: Step, b: Step, graph: SchemaGraph): boolean {
  const family = (step: Step) => (['prop', 'pattern', 'additional', 'anyProp'].includes(step.kind) ? 'object' : step.kind === 'key' ? 'key' : 'array');
  if (family(a) !== family(b)) return false;
  if (a.kind === 'prop' && b.kind === 'prop') return a.name === b.name;
  if (a.kind === 'prop' || b.kind === 'prop') {
    const [prop, other] = (a.kind === 'prop' ? [a, b] : [b, a]) as [Extract<Step, { kind: 'prop' }>, Step];
    if (other.kind === 'pattern') return patternMatches(other.pattern, prop.name);
    if (other.kind === 'additional') return !declares(graph.schemas[other.owner], prop.name);
    return true;
  }
  if ((a.kind === 'pattern' && b.kind === 'additional') || (a.kind === 'additional' && b.kind === 'pattern')) return a.owner !== b.owner;
  if (a.kind === 'tuple' && b.kind === 'tuple') return a.index === b.index;
  if ((a.kind === 'tuple' && b.kind === 'rest') || (a.kind === 'rest' && b.kind === 'tuple')) return a.owner !== b.owner;
  return true;
}

/** additionalProperties of this schema leaves the name alone (declared, or matched by a pattern). */
function declares(schema: unknown, name: string): boolean {
  const { properties, patternProperties } = (schema ?? {}) as { properties?: object; patternProperties?: object };
  if (properties && typeof properties === 'object' && Object.hasOwn(properties, name)) return true;
  return !!patternProperties && typeof patternProperties === 'object' && Object.keys(patternProperties).some((pattern) => patternMatches(pattern, name));
}

/**
 * Exponential ambiguity, as for regular expressions: inside a recursive component, two different
 * ways from one subschema (through same-value branches, then one descending step) that can reach the
 * same part of the value. Every recursion that blows up with depth has such a fork; a tree whose
 * branches descend into distinct properties, or into arrays versus objects, has none.
 */
function ambiguousRecursion(graph: SchemaGraph): string | undefined {
  const all = adjacency(graph, () => true);
  const component = components(all);
  const inside = graph.edges.map((edge, id) => ({ ...edge, id })).filter((edge) => component[edge.from] === component[edge.to]);
  const sameNext: number[][] = graph.schemas.map(() => []);
  const descendFrom: number[][] = graph.schemas.map(() => []);
  for (const edge of inside) (edge.step.kind === 'same' ? sameNext[edge.from].push(edge.to) : descendFrom[edge.from].push(edge.id));
  // Descending edges reachable from each node through same-value edges, counting paths up to 2.
  // Pairs within one child's set were checked at that child, so only pairs across sources are new.
  const reach: Map<number, number>[] = graph.schemas.map(() => new Map());
  for (const node of postOrder(sameNext)) {
    const found = reach[node];
    const sources: number[][] = descendFrom[node].map((id) => [id]);
    for (const to of sameNext[node]) sources.push([...reach[to].keys()]);
    for (const id of descendFrom[node]) found.set(id, Math.min(2, (found.get(id) ?? 0) + 1));
    for (const to of sameNext[node]) for (const [id, paths] of reach[to]) found.set(id, Math.min(2, (found.get(id) ?? 0) + paths));
    for (const [id, paths] of found) if (paths > 1) return ambiguity(graph, node, graph.edges[id].to, graph.edges[id].to);
    for (let i = 0; i < sources.length; i++) {
      for (let j = i + 1; j < sources.length; j++) {
        for (const a of sources[i]) {
          for (const b of sources[j]) {
            if (overlap(graph.edges[a].step, graph.edges[b].step, graph)) return ambiguity(graph, node, graph.edges[a].to, graph.edges[b].to);
          }
        }
      }
    }
  }
  return undefined;
}

function ambiguity(graph: SchemaGraph, node: number, first: number, second: number): string {
  const where = first === second ? `${graph.pointers[first]} along two paths` : `both ${graph.pointers[first]} and ${graph.pointers[second]}`;
  return `recursion at ${graph.pointers[node]} checks the same part of a value with ${where}, so checking a deeply nested value takes exponential time; make the recursive branches apply to different properties (or arrays versus objects)`;
}
