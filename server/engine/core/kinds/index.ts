// Executors by node kind. The mapped type makes a kind without an executor a type error, and gives
// each executor its kind's config type (shared/nodes/<kind>.node.ts).
import type { ConfigOf, NodeKindSpec } from '../../../../shared/nodes/kind.js';
import { registerNodeKind, type NodeConfig, type NodeKind } from '../../../../shared/nodes/registry.js';
import type { NodeExecutor } from './executor.js';
import { startExecutor } from './start.executor.js';
import { stepExecutor } from './step.executor.js';
import { waitExecutor } from './wait.executor.js';
import { branchExecutor, endExecutor, failExecutor, joinExecutor, parallelExecutor } from './flow.executors.js';
import { eventExecutor } from './event.executor.js';
import { approvalExecutor } from './approval.executor.js';
import { aiExecutor } from './ai.executor.js';
import { subflowExecutor } from './subflow.executor.js';

export const executors: { [K in NodeKind]: NodeExecutor<NodeConfig<K>> } = {
  start: startExecutor,
  step: stepExecutor,
  wait: waitExecutor,
  branch: branchExecutor,
  parallel: parallelExecutor,
  join: joinExecutor,
  end: endExecutor,
  fail: failExecutor,
  event: eventExecutor,
  approval: approvalExecutor,
  ai: aiExecutor,
  subflow: subflowExecutor,
};

// Executors of kinds added with registerKind; the kinds above are listed, not registered.
const added = new Map<string, NodeExecutor>();

/** The executor of a node's kind. Its node's config was parsed by that kind's schema (graph-index.ts). */
export function executorOf(kind: string): NodeExecutor {
  const executor = Object.hasOwn(executors, kind) ? executors[kind as NodeKind] : added.get(kind);
  if (!executor) throw new Error(`invariant: node kind "${kind}" has no executor`);
  return executor as unknown as NodeExecutor;
}

/**
 * Add a kind declared outside shared/nodes (a test's fixture): its spec joins the one registry of
 * kinds (shared/nodes/registry.ts), which the validator and the engine read, and its executor this
 * map. A kind of the product is listed in both files instead.
 */
export function registerKind<Spec extends NodeKindSpec>(spec: Spec, executor: NodeExecutor<ConfigOf<Spec>>): void {
  if (typeof executor?.enter !== 'function') throw new Error(`node kind "${spec?.kind}" needs an executor with enter()`);
  registerNodeKind(spec);
  added.set(spec.kind, executor as unknown as NodeExecutor);
}
