// What the run itself does with inbox events that no token takes (DESIGN §3): a signal is buffered
// until a node that waits for its name takes it; a decision for an approval that no longer waits
// is kept in history as ignored; a child's result for a node that moved on is dropped.
import { parseCallbackSignalName, waitIsOver } from './callbacks.js';
import type { OfferedEventType, EventOf } from './kinds/executor.js';
import type { Run } from './run.js';
import type { BufferedSignal, Decision } from './types.js';

export const unclaimed: { [K in OfferedEventType]: (run: Run, event: EventOf<K>) => void } = {
  signalReceived(run, signal) {
    // A callback for a wait that is over (a second POST that raced the first, or one after a time-out) is kept in history only.
    const callback = parseCallbackSignalName(signal.name);
    if (callback && waitIsOver(run, callback.nodeId, callback.visit)) {
      run.record({ type: 'signalReceived', nodeId: callback.nodeId, data: { signalId: signal.signalId, name: signal.name, data: signal.data, ignored: 'the wait this callback was made for is over' } });
      return;
    }
    run.state.signals = [...(run.state.signals ?? []), { id: signal.signalId, name: signal.name, data: signal.data, at: signal.at }];
    run.record({ type: 'signalReceived', data: { signalId: signal.signalId, name: signal.name, data: signal.data, buffered: true } });
  },
  approvalDecided(run, decision) {
    run.record({ type: 'approvalDecisionIgnored', data: { ...decisionAudit(run, decision), reason: 'the approval was no longer waiting (timed out or cancelled)' } });
  },
  childFinished() {},
};

/** The first buffered signal named `name`, taken out of the buffer; undefined when there is none. */
export function takeBufferedSignal(run: Run, name: string): BufferedSignal | undefined {
  const buffered = [...(run.state.signals ?? [])];
  const index = buffered.findIndex((signal) => signal.name === name);
  if (index < 0) return undefined;
  const [signal] = buffered.splice(index, 1);
  run.state.signals = buffered;
  return signal;
}

/** A decision as history keeps it: who, when, what, and a hash of what the approver was shown. */
export function decisionAudit(run: Run, decision: Decision) {
  return {
    taskId: decision.taskId, decision: decision.decision, by: decision.by, at: run.isoTime(decision.at), comment: decision.comment, form: decision.form, shownHash: decision.shownHash,
    ...(decision.onBehalfOf ? { onBehalfOf: decision.onBehalfOf } : {}),
  };
}
