// Callback URLs in the core (DESIGN §6): which wait of an `event` node a URL made now stands for, and
// the inbox name a callback's signal travels under. The core knows no key and no host: the runner
// injects `ctx.callbackUrl`, a pure function that signs a reference (server/callbacks/).
import { MAX_DURATION_MS } from '../../../shared/durations.js';
import { getNodeKind } from '../../../shared/nodes/registry.js';
import type { CallbackRef, RunContext, RunState } from './types.js';

export type { CallbackRef };

/** What these helpers read of a run: its state and context (not the Run itself, which calls them). */
interface RunParts {
  state: RunState;
  ctx: RunContext;
}

const PREFIX = 'callback:';

/** The inbox name of a callback's signal: only the wait it names takes it, never another node or visit. */
export function callbackSignalName(nodeId: string, visit: number): string {
  return `${PREFIX}${visit}:${nodeId}`;
}

export function parseCallbackSignalName(name: string): { nodeId: string; visit: number } | undefined {
  if (!name.startsWith(PREFIX)) return undefined;
  const match = /^(\d{1,9}):(.+)$/.exec(name.slice(PREFIX.length));
  return match ? { visit: Number(match[1]), nodeId: match[2] } : undefined;
}

/**
 * The visit a URL made now is for: the node's wait under way when a token waits there (a step on a
 * parallel path hands that one out), else its next visit (a step before the wait hands out the wait
 * that comes next; a token entering the node gets that visit as it enters).
 */
export function nextWaitVisit(run: RunParts, nodeId: string): number {
  const waiting = run.state.tokens.find((token) => token.nodeId === nodeId && token.status === 'waiting');
  return waiting ? waiting.visit : (run.state.visits[nodeId] ?? 0) + 1;
}

/** Whether the wait `visit` of `nodeId` is over: the node has been entered past it, or entered at it and left. */
export function waitIsOver(run: RunParts, nodeId: string, visit: number): boolean {
  const visits = run.state.visits[nodeId] ?? 0;
  if (visits < visit) return false;
  return !run.state.tokens.some((token) => token.nodeId === nodeId && token.visit === visit && token.status === 'waiting');
}

/**
 * `callbacks.<eventNodeId>.url` for every event node of the graph; none without a signer. Each URL is
 * signed only when an expression reads it (most evaluations read none).
 */
export function callbackRoot(run: RunParts): Record<string, { url: string }> | undefined {
  const sign = run.ctx.callbackUrl;
  if (!sign) return undefined;
  const root: Record<string, { url: string }> = {};
  for (const node of run.ctx.graph.nodes.values()) {
    if (!getNodeKind(node.kind)?.callbackTarget) continue;
    let made: { url: string } | undefined;
    Object.defineProperty(root, node.id, {
      enumerable: true,
      // No URL outlives the longest wait a run may have, counted from when it is made.
      get: () => (made ??= { url: sign({ runId: run.ctx.instance.id, nodeId: node.id, visit: nextWaitVisit(run, node.id), expiresAt: run.ctx.now + MAX_DURATION_MS }) }),
    });
  }
  return root;
}
