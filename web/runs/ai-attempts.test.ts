// The run page's AI summary read from history: one row per call, outcomes and what followed, totals,
// and a cost that says when some calls had no price.
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../shared/runs/history.js';
import { aiSummary, formatCost } from './ai-attempts.js';

let seq = 0;
const event = (entry: Record<string, unknown>) => ({ seq: ++seq, at: '2026-04-01T00:00:00.000Z', nodeId: 'classify', visit: 1, ...entry }) as unknown as HistoryEvent;

describe('aiSummary', () => {
  it('pairs each attempt with its answer or failure, and sums tokens and cost', () => {
    const usage = { inputTokens: 100, outputTokens: 10 };
    const summary = aiSummary([
      event({ type: 'aiAttemptStarted', attempt: 1, data: { model: 'fast', prompt: 'p' } }),
      event({ type: 'aiAttemptFailed', attempt: 1, data: { code: 'RATE_LIMITED', message: 'HTTP 429', willRetry: true, next: 'nextModel', latencyMs: 40 } }),
      event({ type: 'aiAttemptStarted', attempt: 2, data: { model: 'default', prompt: 'p' } }),
      event({ type: 'aiAttemptFailed', attempt: 2, data: { code: 'SCHEMA_VIOLATION', message: 'x', willRetry: true, next: 'repair', usage, costUsd: 0.001 } }),
      event({ type: 'aiAttemptStarted', attempt: 3, data: { model: 'default', prompt: 'p', repair: { errors: ['x'] } } }),
      event({ type: 'aiAnswered', attempt: 3, data: { raw: '{}', modelId: 'gpt-x-2026', usage, costUsd: 0.002 } }),
      event({ type: 'aiAttemptStarted', nodeId: 'other', attempt: 1, data: { model: 'default', prompt: 'q' } }),
    ]);
    expect(summary.rows.map((row) => [row.nodeId, row.attempt, row.model, row.outcome, row.next ?? null, row.repair])).toEqual([
      ['classify', 1, 'fast', 'RATE_LIMITED', 'nextModel', false],
      ['classify', 2, 'default', 'SCHEMA_VIOLATION', 'repair', false],
      ['classify', 3, 'default', 'ok', null, true],
      ['other', 1, 'default', 'running', null, false],
    ]);
    expect(summary.rows[2].modelId).toBe('gpt-x-2026');
    expect(summary).toMatchObject({ inputTokens: 200, outputTokens: 20, costUsd: 0.003, unpriced: 0 });
  });

  it('counts calls with tokens but no price, and has no cost when none was priced', () => {
    const summary = aiSummary([
      event({ type: 'aiAttemptStarted', attempt: 1, data: { model: 'local', prompt: 'p' } }),
      event({ type: 'aiAnswered', attempt: 1, data: { raw: '{}', modelId: 'llama', usage: { inputTokens: 5, outputTokens: 1 } } }),
    ]);
    expect(summary.costUsd).toBeUndefined();
    expect(summary.unpriced).toBe(1);
    expect(aiSummary([]).rows).toEqual([]);
  });

  it('ignores answers without a started attempt (a history cut short) rather than inventing rows', () => {
    expect(aiSummary([event({ type: 'aiAnswered', attempt: 4, data: { raw: '{}', modelId: 'x' } })]).rows).toEqual([]);
  });
});

describe('formatCost', () => {
  it.each([
    [0, '$0'],
    [0.00000042, '<$0.0001'],
    [0.000456, '$0.00046'],
    [0.1, '$0.1'],
    [1.2, '$1.20'],
    [12.345, '$12.35'],
  ])('%s → %s', (usd, text) => expect(formatCost(usd)).toBe(text));
});
