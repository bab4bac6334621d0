// What a node kind's executor implements. The interpreter routes each event to the executor of
// the node its token is at; the `executors` map must cover every kind of the registry.
import type { IndexedNode } from '../graph-index.js';
import type { Run } from '../run.js';
import type { ErrorInfo, TimerPurpose, Token } from '../types.js';

export interface NodeExecutor {
  /** The token has entered the node; its visit is already counted. */
  enter(run: Run, token: Token, node: IndexedNode): Promise<void> | void;
  actionSucceeded?(run: Run, token: Token, node: IndexedNode, output: unknown): Promise<void> | void;
  actionFailed?(run: Run, token: Token, node: IndexedNode, error: ErrorInfo): Promise<void> | void;
  timerFired?(run: Run, token: Token, node: IndexedNode, purpose: TimerPurpose): Promise<void> | void;
  /**
   * The run's lease expired while this token was `running`. Without this hook the in-flight work
   * counts as a failed attempt (steps, AI calls); a kind whose work is idempotent re-asks instead.
   */
  recover?(run: Run, token: Token, node: IndexedNode): void;
}

export function entered(run: Run, token: Token, data?: Record<string, unknown>): void {
  run.record({ type: 'nodeEntered', nodeId: token.nodeId, visit: token.visit, ...(data ? { data } : {}) });
}
