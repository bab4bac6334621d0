// step: resolve the input once on entry, run attempts (see core/attempts.ts), take `ok` with the
// action's result or `error` with the last error. Completed steps with `compensate` join the saga.
import { formatBytes, jsonBytes } from '../../../../shared/limits.js';
import type { RetryConfig } from '../../../../shared/nodes/step.node.js';
import { retryAfterFailure, resumeAfterBackoff, startAttempt } from '../attempts.js';
import { runError } from '../failures.js';
import type { NodeExecutor } from './executor.js';
import { entered } from './executor.js';

interface StepConfig {
  action: string;
  input: Record<string, unknown>;
  retry?: RetryConfig;
  timeout: string;
  compensate?: { action: string; input: Record<string, unknown> };
}

export const stepExecutor: NodeExecutor = {
  async enter(run, token, node) {
    const config = node.config as unknown as StepConfig;
    const input = await run.resolve(node, 'input', config.input);
    token.resolved = { action: config.action, input };
    token.attempt = 1;
    entered(run, token, { action: config.action, input });
    startAttempt(run, token);
  },

  async actionSucceeded(run, token, node, output) {
    const bytes = jsonBytes(output);
    if (bytes > run.ctx.limits.payloadBytes) {
      const message = `node "${node.id}" output is ${formatBytes(bytes)}, over the ${formatBytes(run.ctx.limits.payloadBytes)} limit`;
      return stepExecutor.actionFailed!(run, token, node, runError('PAYLOAD_TOO_LARGE', message, node.id));
    }
    const config = node.config as unknown as StepConfig;
    run.setOutput(node.id, output);
    if (config.compensate) {
      const input = await run.resolve(node, 'compensate.input', config.compensate.input);
      run.state.compensable.push({ nodeId: node.id, visit: token.visit, action: config.compensate.action, input });
    }
    run.takePort(token, 'ok', output);
  },

  actionFailed(run, token, node, error) {
    if (retryAfterFailure(run, token, error)) return;
    const final = { ...error, nodeId: node.id };
    run.record({ type: 'stepFailed', nodeId: node.id, visit: token.visit, attempt: token.attempt, data: { error: final } });
    run.takePort(token, 'error', { error: final });
  },

  timerFired(run, token, _node, purpose) {
    if (purpose === 'retry') resumeAfterBackoff(run, token);
  },
};
