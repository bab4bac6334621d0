// subflow: start a child run of another workflow's active version and wait for its end. Starting is
// idempotent (the child's idempotency key is this node visit's key), so recovery may ask again.
import type { Run } from '../run.js';
import type { RunEventMap, Token } from '../types.js';
import type { NodeExecutor } from './executor.js';
import { entered } from './executor.js';

interface SubflowConfig {
  workflow: string;
  input?: string;
}

function askForChild(run: Run, token: Token): void {
  token.status = 'running';
  const { workflow, input } = token.resolved as { workflow: string; input: unknown };
  run.effect({ type: 'startChild', tokenId: token.id, workflow, input, idempotencyKey: run.idempotencyKey(token) });
}

export const subflowExecutor: NodeExecutor = {
  async enter(run, token, node) {
    const config = node.config as unknown as SubflowConfig;
    const input = (await run.resolve(node, 'input', config.input)) ?? {};
    token.resolved = { workflow: config.workflow, input };
    entered(run, token, { workflow: config.workflow, input });
    askForChild(run, token);
  },
  recover: askForChild,
};

export function childStarted(run: Run, event: RunEventMap['childStarted']): void {
  const token = run.token(event.tokenId);
  if (!token || token.status !== 'running' || run.node(token.nodeId).kind !== 'subflow') return;
  token.status = 'waiting';
  token.resolved = { ...token.resolved, childId: event.childId };
  run.record({ type: 'childStarted', nodeId: token.nodeId, visit: token.visit, data: { childId: event.childId } });
}

export function childStartFailed(run: Run, event: RunEventMap['childStartFailed']): void {
  const token = run.token(event.tokenId);
  if (!token || token.status !== 'running') return;
  const error = { ...event.error, nodeId: token.nodeId };
  run.record({ type: 'childStartFailed', nodeId: token.nodeId, visit: token.visit, data: { error } });
  run.takePort(token, 'error', { error });
}

export function childFinished(run: Run, event: RunEventMap['childFinished']): void {
  const token = run.state.tokens.find((candidate) => run.node(candidate.nodeId).kind === 'subflow' && !candidate.compensating && run.idempotencyKey(candidate) === event.key);
  if (!token) return;
  // A child that ends at once can report before its start was acknowledged: keep history in order.
  if (token.status === 'running') run.record({ type: 'childStarted', nodeId: token.nodeId, visit: token.visit, data: { childId: event.childId } });
  run.record({ type: 'childFinished', nodeId: token.nodeId, visit: token.visit, data: { childId: event.childId, status: event.status, output: event.output, error: event.error } });
  if (event.status === 'completed') {
    run.takePort(token, 'ok', event.output);
    return;
  }
  const error = event.error ?? { name: 'ChildRun', code: `CHILD_${event.status.toUpperCase()}`, message: `the child run ${event.status}`, retryable: false };
  run.takePort(token, 'error', { error: { ...error, nodeId: token.nodeId, childId: event.childId, ...(error.nodeId ? { childNodeId: error.nodeId } : {}) } });
}
