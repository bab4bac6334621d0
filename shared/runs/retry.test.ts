// Retry only where it can help: which failed runs a retry would only fail again.
import { describe, expect, it } from 'vitest';
import { retryRefusal } from './retry.js';

const failed = (error: Record<string, unknown> | null) => ({ status: 'failed', error });

describe('retryRefusal', () => {
  it.each([
    ['a step error', { code: 'HTTP_503', nodeId: 'charge' }],
    ['a non-retryable step error (the cause may be fixed outside)', { code: 'LOCKED', nodeId: 'book', retryable: false }],
    ['an engine error', { code: 'ENGINE_ERROR', nodeId: 'step' }],
    ['a quarantined run', { code: 'QUARANTINED', nodeId: 'step' }],
    ['an unknown action (it may be deployed since)', { code: 'UNKNOWN_ACTION', nodeId: 'step' }],
    ['a time-out', { code: 'TIMED_OUT', nodeId: 'wait' }],
  ])('offers a retry after %s', (_what, error) => expect(retryRefusal(failed(error))).toBeNull());

  it.each([
    ['a fail node', { code: 'FAILED_BY_NODE', nodeId: 'rejected' }, 'fail node'],
    ['an action input the schema refuses', { code: 'INVALID_INPUT', nodeId: 'book' }, 'input schema'],
    ['an until that is no date-time', { code: 'INVALID_UNTIL', nodeId: 'wait' }, '“until”'],
    ['the visit limit', { code: 'VISIT_LIMIT', nodeId: 'loop' }, 'visit'],
    ['a failure at no node', { code: 'HISTORY_LIMIT' }, 'did not fail at a node (HISTORY_LIMIT)'],
    ['compensations that ran', { code: 'HTTP_503', nodeId: 'charge', compensated: true }, 'compensations already ran'],
    ['no error at all', null, 'did not fail at a node'],
  ])('says why not after %s', (_what, error, why) => expect(retryRefusal(failed(error))).toContain(why));

  it('refuses runs that did not fail, naming their status', () => {
    expect(retryRefusal({ status: 'completed', error: null })).toBe('it is completed; only a failed run can be retried');
    expect(retryRefusal({ status: 'waiting', error: undefined })).toContain('waiting');
  });

  it('does not take inherited names for failure codes', () => {
    expect(retryRefusal(failed({ code: 'toString', nodeId: 'n' }))).toBeNull();
    expect(retryRefusal(failed({ code: '__proto__', nodeId: 'n' }))).toBeNull();
  });
});
