// The one registry of node kinds: palette, inspector, connection checks, validator and engine read it.
import type { NodeKindSpec } from './kind.js';
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
export type NodeConfig<K extends NodeKind> = ReturnType<(typeof nodeKinds)[K]['config']['parse']>;

export const nodeKindList: readonly NodeKindSpec[] = Object.values(nodeKinds);

export function isNodeKind(kind: string): kind is NodeKind {
  return Object.hasOwn(nodeKinds, kind);
}

export function getNodeKind(kind: string): NodeKindSpec | undefined {
  return isNodeKind(kind) ? nodeKinds[kind] : undefined;
}

/** Whether an edge may leave `kind` on `port` (used by the canvas and the validator). */
export function isValidPort(kind: string, port: string): boolean {
  return getNodeKind(kind)?.ports.includes(port) ?? false;
}
