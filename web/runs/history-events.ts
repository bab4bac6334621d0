// How the timeline and the node panel show each history event: its words and its colour family. One
// row per type of shared/runs/history.ts — a new event type fails the type check until it has one.
import type { HistoryEntry, HistoryEventType } from '../../shared/runs/history.js';

export type EventTone = 'danger' | 'ok' | 'wait' | 'info';

const EVENTS: Record<HistoryEventType, { label: string; tone: EventTone }> = {
  runStarted: { label: 'Run started', tone: 'info' },
  nodeEntered: { label: 'Node entered', tone: 'info' },
  nodeCompleted: { label: 'Node completed', tone: 'ok' },
  joinArrived: { label: 'Join arrived', tone: 'wait' },
  stepAttemptStarted: { label: 'Step attempt started', tone: 'info' },
  stepAttemptFailed: { label: 'Step attempt failed', tone: 'danger' },
  stepFailed: { label: 'Step failed', tone: 'danger' },
  actionLogged: { label: 'Action logged', tone: 'info' },
  compensationStarted: { label: 'Compensation started', tone: 'info' },
  compensationAttemptStarted: { label: 'Compensation attempt started', tone: 'info' },
  compensationAttemptFailed: { label: 'Compensation attempt failed', tone: 'danger' },
  compensationCompleted: { label: 'Compensation completed', tone: 'ok' },
  compensationFailed: { label: 'Compensation failed', tone: 'danger' },
  signalReceived: { label: 'Signal received', tone: 'wait' },
  signalConsumed: { label: 'Signal consumed', tone: 'ok' },
  eventTimedOut: { label: 'Event timed out', tone: 'danger' },
  approvalDecided: { label: 'Approval decided', tone: 'ok' },
  approvalDecisionIgnored: { label: 'Approval decision ignored', tone: 'danger' },
  approvalTimedOut: { label: 'Approval timed out', tone: 'danger' },
  approvalDecisionRecorded: { label: 'Approval decision counted', tone: 'wait' },
  approvalReminded: { label: 'Approval reminder', tone: 'wait' },
  approvalEscalated: { label: 'Approval escalated', tone: 'wait' },
  approvalAutoDecided: { label: 'Approval decided automatically', tone: 'danger' },
  aiAttemptStarted: { label: 'AI attempt started', tone: 'info' },
  aiAttemptFailed: { label: 'AI attempt failed', tone: 'danger' },
  aiAnswered: { label: 'AI answered', tone: 'ok' },
  aiHandedToHuman: { label: 'AI handed to a person', tone: 'wait' },
  childStarted: { label: 'Child run started', tone: 'info' },
  childStartFailed: { label: 'Child run start failed', tone: 'danger' },
  childFinished: { label: 'Child run finished', tone: 'ok' },
  cancelRequested: { label: 'Cancel requested', tone: 'wait' },
  cancelIgnored: { label: 'Cancel ignored', tone: 'danger' },
  runRetried: { label: 'Run retried', tone: 'wait' },
  runPaused: { label: 'Paused', tone: 'wait' },
  runResumed: { label: 'Resumed', tone: 'wait' },
  rerunStarted: { label: 'Rerun started', tone: 'info' },
  runCompleted: { label: 'Run completed', tone: 'ok' },
  runFailed: { label: 'Run failed', tone: 'danger' },
  runCancelled: { label: 'Run cancelled', tone: 'danger' },
};

/** A type this page does not know (written by a newer engine) reads as its own name. */
const known = (type: string): type is HistoryEventType => Object.hasOwn(EVENTS, type);

export const eventLabel = (type: string): string => (known(type) ? EVENTS[type].label : type);

/** The port a node left by, when the event says (nodeCompleted). */
export const portOf = (event: HistoryEntry): string | undefined => (event.type === 'nodeCompleted' ? event.data.port : undefined);

/** The colour family: the port decides for a node that completed (an error or time-out port is not a success). */
export function eventTone(event: HistoryEntry): EventTone {
  const port = portOf(event);
  if (port === 'error') return 'danger';
  if (port === 'timeout' || port === 'fallback' || port === 'rejected') return 'wait';
  return known(event.type) ? EVENTS[event.type].tone : 'info';
}
