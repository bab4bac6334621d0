// subflow: start a child run of another workflow's active version and wait for its end. Starting is
// idempotent (the child's idempotency key is this node visit's key), so recovery may ask again.
import type { SubflowConfig } from '../../../../shared/nodes/subflow.node.js';
import type { Run } from '../run.js';
import type { Token } from '../types.js';
import type { NodeExecutor } from './executor.js';
import { entered } from './executor.js';

function askForChild(run: Run, token: Token): void {
  token.status = 'running';
  const { workflow, input } = token.resolved as { workflow: string; input: unknown };
  run.effect({ type: 'startChild', tokenId: token.id, workflow, input, idempotencyKey: run.idempotencyKey(token) });
}

export const subflowExecutor: NodeExecutor<SubflowConfig> = {
  async enter(run, token, node) {
    const { workflow } = node.config;
    const input = (await run.resolve(node, 'input', node.config.input)) ?? {};
    token.resolved = { workflow, input };
    entered(run, token, { workflow, input });
    askForChild(run, token);
  },
  recover: askForChild,

  on: {
    childStarted(run, token, _node, event) {
      if (token.status !== 'running') return;
      token.status = 'waiting';
      token.resolved = { ...token.resolved, childId: event.childId };
      run.record({ type: 'childStarted', nodeId: token.nodeId, visit: token.visit, data: { childId: event.childId } });
    },

    childStartFailed(run, token, _node, event) {
      if (token.status !== 'running') return;
      const error = { ...event.error, nodeId: token.nodeId };
      run.record({ type: 'childStartFailed', nodeId: token.nodeId, visit: token.visit, data: { error } });
      run.takePort(token, 'error', { error });
    },

    /** The child's key names this node visit (its idempotency key). */
    childFinished: {
      takes: (run, token, event) => run.idempotencyKey(token) === event.key,
      handle(run, token, _node, event) {
        // A child that ends at once can report before its start was acknowledged: keep history in order.
        if (token.status === 'running') run.record({ type: 'childStarted', nodeId: token.nodeId, visit: token.visit, data: { childId: event.childId } });
        run.record({ type: 'childFinished', nodeId: token.nodeId, visit: token.visit, data: { childId: event.childId, status: event.status, output: event.output, error: event.error } });
        if (event.status === 'completed') {
          run.takePort(token, 'ok', event.output);
          return;
        }
        const error = event.error ?? { name: 'ChildRun', code: `CHILD_${event.status.toUpperCase()}`, message: `the child run ${event.status}`, retryable: false };
        run.takePort(token, 'error', { error: { ...error, nodeId: token.nodeId, childId: event.childId, ...(error.nodeId ? { childNodeId: error.nodeId } : {}) } });
      },
    },
  },

  waitsOn: (token) => ({ kind: 'child', ...(typeof token.resolved?.childId === 'string' ? { on: token.resolved.childId } : {}) }),

  stop(run, _token, _node, how) {
    run.cancelChildren(how.compensate);
  },
};
