// The one registry of node kinds: palette, inspector, connection checks, validator and engine read it.
import type { ConfigOf, NodeKindSpec } from './kind.js';
import { startNode } from './start.node.js';
import { stepNode } from './step.node.js';
import { waitNode } from './wait.node.js';
import { eventNode } from './event.node.js';
import { approvalNode } from './approval.node.js';
import { aiNode } from './ai.node.js';
import { branchNode } from './branch.node.js';
import { parallelNode } from './parallel.node.js';
import { joinNode } from './join.node.js';
import { subflowNode } from './subflow.node.js';
import { endNode } from './end.node.js';
import { failNode } from './fail.node.js';

export const nodeKinds = {
  start: startNode,
  step: stepNode,
  wait: waitNode,
  event: eventNode,
  approval: approvalNode,
  ai: aiNode,
  branch: branchNode,
  parallel: parallelNode,
  join: joinNode,
  subflow: subflowNode,
  end: endNode,
  fail: failNode,
} as const satisfies Record<string, NodeKindSpec>;

export type NodeKind = keyof typeof nodeKinds;
export type NodeConfig<K extends NodeKind> = ConfigOf<(typeof nodeKinds)[K]>;

// The kinds above, plus any added through registerNodeKind: everything below reads this one map.
const registered = new Map<string, NodeKindSpec>(Object.entries(nodeKinds));
const kindList: NodeKindSpec[] = [...registered.values()];

export const nodeKindList: readonly NodeKindSpec[] = kindList;

/** Whether `kind` is one of the kinds this folder declares (not one added by registerNodeKind). */
export function isNodeKind(kind: string): kind is NodeKind {
  return Object.hasOwn(nodeKinds, kind);
}

export function getNodeKind(kind: string): NodeKindSpec | undefined {
  return registered.get(kind);
}

/**
 * Add a kind declared outside this folder (a test's fixture kind): from then on the palette, the
 * validator and the engine see it exactly as one listed above. A kind of this product is listed
 * above instead. Refuses a name that is taken or is not a plain name.
 */
export function registerNodeKind(spec: NodeKindSpec): void {
  if (typeof spec?.kind !== 'string' || !/^[a-z][a-zA-Z0-9]{0,39}$/.test(spec.kind)) {
    throw new Error(`a node kind's name is a letter then letters or digits (at most 40), not ${JSON.stringify(spec?.kind)}`);
  }
  if (registered.has(spec.kind)) throw new Error(`a node kind named "${spec.kind}" is already registered`);
  registered.set(spec.kind, spec);
  kindList.push(spec);
}

/** Whether an edge may leave `kind` on `port` (used by the canvas and the validator). */
export function isValidPort(kind: string, port: string): boolean {
  return getNodeKind(kind)?.ports.includes(port) ?? false;
}
