// How the timeline names and colours history events: from the typed event (its type, and a completed
// node's port), with a type this page does not know shown by its own name.
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../shared/runs/history.js';
import { eventLabel, eventTone, portOf } from './history-events.js';

const completed = (port?: string): HistoryEntry => ({ type: 'nodeCompleted', nodeId: 'n', data: { ...(port ? { port } : {}), output: null } });
const error = { name: 'ActionError', code: 'X', message: 'boom', retryable: false };

describe('history events on the page', () => {
  it('names and colours each event by its type', () => {
    expect(eventLabel('stepAttemptFailed')).toBe('Step attempt failed');
    expect(eventTone({ type: 'stepAttemptFailed', data: { error } })).toBe('danger');
    expect(eventTone({ type: 'runCompleted', data: { output: 1 } })).toBe('ok');
    expect(eventTone({ type: 'signalReceived', data: { signalId: 's', name: 'go', data: null } })).toBe('wait');
    expect(eventTone({ type: 'nodeEntered', nodeId: 'n' })).toBe('info');
  });

  it('lets the port a node left by decide: an error or a time-out is not a success', () => {
    expect(portOf(completed('ok'))).toBe('ok');
    expect(portOf({ type: 'runFailed', data: { error } })).toBeUndefined();
    expect(eventTone(completed('ok'))).toBe('ok');
    expect(eventTone(completed())).toBe('ok');
    expect(eventTone(completed('error'))).toBe('danger');
    expect(eventTone(completed('timeout'))).toBe('wait');
    expect(eventTone(completed('rejected'))).toBe('wait');
  });

  it('shows a type it does not know (a newer engine’s) by its name, neutral, even one named like an inherited key', () => {
    for (const type of ['somethingNew', 'constructor', '__proto__', 'toString']) {
      expect(eventLabel(type)).toBe(type);
      expect(eventTone({ type, data: {} } as unknown as HistoryEntry)).toBe('info');
    }
  });
});
