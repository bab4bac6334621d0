// event: wait for a named signal. A signal that arrived earlier is taken from the run's buffer
// (first in arrival order); otherwise the token waits, with an optional time-out. A callback URL's
// signal (core/callbacks.ts) is taken only by the wait it was made for, before any named signal.
import type { EventConfig } from '../../../../shared/nodes/event.node.js';
import { callbackSignalName } from '../callbacks.js';
import { takeBufferedSignal } from '../inbox.js';
import type { NodeExecutor } from './executor.js';
import { entered } from './executor.js';
import { armTimeout, onTimeout } from './timer-kind.js';

export const eventExecutor: NodeExecutor<EventConfig> = {
  enter(run, token, node) {
    const { event, timeout } = node.config;
    entered(run, token, { event });
    const callback = takeBufferedSignal(run, callbackSignalName(node.id, token.visit));
    const signal = callback ?? takeBufferedSignal(run, event);
    if (signal) {
      run.record({ type: 'signalConsumed', nodeId: node.id, visit: token.visit, data: { signalId: signal.id, name: event, buffered: true, ...(callback ? { callback: true as const } : {}) } });
      run.takePort(token, 'received', signal.data);
      return;
    }
    token.status = 'waiting';
    token.resolved = { event };
    armTimeout(run, token, timeout);
  },

  on: {
    /** A signal arrived: the first token waiting for its name takes it (else the run buffers it). */
    signalReceived: {
      takes: (_run, token, signal) =>
        token.status === 'waiting' && (token.resolved?.event === signal.name || signal.name === callbackSignalName(token.nodeId, token.visit)),
      handle(run, token, _node, signal) {
        const callback = signal.name === callbackSignalName(token.nodeId, token.visit);
        const name = callback ? String(token.resolved?.event) : signal.name;
        run.record({ type: 'signalReceived', nodeId: token.nodeId, visit: token.visit, data: { signalId: signal.signalId, name, data: signal.data, ...(callback ? { callback: true as const } : {}) } });
        run.takePort(token, 'received', signal.data);
      },
    },
    timerFired: onTimeout((run, token, node) => {
      run.record({ type: 'eventTimedOut', nodeId: node.id, visit: token.visit, data: { event: token.resolved?.event } });
    }),
  },

  waitsOn: (token) => ({ kind: 'signal', on: token.resolved?.event as string }),
};
