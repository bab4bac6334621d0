// step: resolve the input once on entry, run attempts (see core/attempts.ts), take `ok` with the
// action's result or `error` with the last error. Completed steps with `compensate` join the saga.
import { formatBytes, jsonBytes } from '../../../../shared/limits.js';
import type { StepConfig } from '../../../../shared/nodes/step.node.js';
import { retryAfterFailure, resumeAfterBackoff, startAttempt } from '../attempts.js';
import { runError } from '../failures.js';
import type { KindNode, NodeExecutor } from './executor.js';
import type { Run } from '../run.js';
import type { ErrorInfo, Token } from '../types.js';
import { entered } from './executor.js';
import { andThen } from '../maybe-async.js';

/** The attempt failed: retry on a durable timer, or take `error` once the attempts are used up. */
function attemptFailed(run: Run, token: Token, node: KindNode<StepConfig>, error: ErrorInfo): void {
  if (retryAfterFailure(run, token, error)) return;
  const final = { ...error, nodeId: node.id };
  run.record({ type: 'stepFailed', nodeId: node.id, visit: token.visit, attempt: token.attempt, data: { error: final } });
  run.takePort(token, 'error', { error: final });
}

export const stepExecutor: NodeExecutor<StepConfig> = {
  enter(run, token, node) {
    const { config } = node;
    return andThen(run.resolve(node, 'input', config.input), (input) => {
      token.resolved = { action: config.action, input };
      token.attempt = 1;
      entered(run, token, { action: config.action, input });
      startAttempt(run, token);
    });
  },

  on: {
    actionSucceeded(run, token, node, { output }) {
      const bytes = jsonBytes(output);
      if (bytes > run.ctx.limits.payloadBytes) {
        const message = `node "${node.id}" output is ${formatBytes(bytes)}, over the ${formatBytes(run.ctx.limits.payloadBytes)} limit`;
        return attemptFailed(run, token, node, runError('PAYLOAD_TOO_LARGE', message, node.id));
      }
      const { compensate } = node.config;
      run.setOutput(node.id, output, bytes);
      if (!compensate) return run.takePort(token, 'ok', output, bytes);
      return andThen(run.resolve(node, 'compensate.input', compensate.input), (input) => {
        run.state.compensable.push({ nodeId: node.id, visit: token.visit, action: compensate.action, input });
        run.takePort(token, 'ok', output, bytes);
      });
    },
    actionFailed: (run, token, node, { error }) => attemptFailed(run, token, node, error),
    timerFired(run, token, _node, { purpose }) {
      if (purpose === 'retry') resumeAfterBackoff(run, token);
    },
  },
};
