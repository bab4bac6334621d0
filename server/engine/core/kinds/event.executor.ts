// event: wait for a named signal. A signal that arrived earlier is taken from the run's buffer
// (first in arrival order); otherwise the token waits, with an optional time-out.
import { durationMs } from '../../../../shared/durations.js';
import type { Run } from '../run.js';
import type { RunEventMap, Token } from '../types.js';
import type { NodeExecutor } from './executor.js';
import { entered } from './executor.js';

interface EventConfig {
  event: string;
  timeout?: string;
}

export const eventExecutor: NodeExecutor = {
  enter(run, token, node) {
    const config = node.config as unknown as EventConfig;
    const buffered = run.state.signals ?? [];
    const index = buffered.findIndex((signal) => signal.name === config.event);
    entered(run, token, { event: config.event });
    if (index >= 0) {
      const [signal] = buffered.splice(index, 1);
      run.state.signals = buffered;
      run.record({ type: 'signalConsumed', nodeId: node.id, visit: token.visit, data: { signalId: signal.id, name: signal.name, buffered: true } });
      run.takePort(token, 'received', signal.data);
      return;
    }
    token.status = 'waiting';
    token.resolved = { event: config.event };
    if (config.timeout) run.setTimer(token, 'timeout', run.ctx.now + durationMs(config.timeout));
  },

  timerFired(run, token, node, purpose) {
    if (purpose !== 'timeout' || token.status !== 'waiting') return;
    run.record({ type: 'eventTimedOut', nodeId: node.id, visit: token.visit, data: { event: token.resolved?.event } });
    run.takePort(token, 'timeout', { timedOut: true });
  },
};

/** A signal arrived: the first token waiting for its name takes it, or the run buffers it. */
export function receiveSignal(run: Run, signal: RunEventMap['signalReceived']): void {
  const waiting: Token | undefined = run.state.tokens.find(
    (token) => token.status === 'waiting' && run.node(token.nodeId).kind === 'event' && token.resolved?.event === signal.name,
  );
  if (!waiting) {
    run.state.signals = [...(run.state.signals ?? []), { id: signal.signalId, name: signal.name, data: signal.data, at: signal.at }];
    run.record({ type: 'signalReceived', data: { signalId: signal.signalId, name: signal.name, data: signal.data, buffered: true } });
    return;
  }
  run.record({ type: 'signalReceived', nodeId: waiting.nodeId, visit: waiting.visit, data: { signalId: signal.signalId, name: signal.name, data: signal.data } });
  run.takePort(waiting, 'received', signal.data);
}
