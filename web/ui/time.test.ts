import { describe, expect, it } from 'vitest';
import { byDecisionTime, byDueTime, spanText, timeLeft } from './time.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const H = 3_600_000;

describe('inbox time words', () => {
  it.each([
    [30_000, 'less than a minute'],
    [3 * 60_000, '3 min'],
    [2 * H, '2 h'],
    [5 * H + 12 * 60_000, '5 h 12 min'],
    [24 * H, '1 day'],
    [7 * 24 * H - 5_000, '6 days 23 h'],
  ])('spans %d ms as "%s"', (ms, text) => {
    expect(spanText(ms)).toBe(text);
    expect(spanText(-ms)).toBe(text);
  });

  it('says how long is left, or how long it is overdue', () => {
    expect(timeLeft(at(7 * 24 * H - 5_000), NOW)).toEqual({ text: 'Due in 6 days 23 h', tone: 'ok' });
    expect(timeLeft(at(3 * H), NOW)).toEqual({ text: 'Due in 3 h', tone: 'soon' });
    expect(timeLeft(at(-2 * H), NOW)).toEqual({ text: 'Overdue by 2 h', tone: 'overdue' });
    expect(timeLeft(null, NOW)).toEqual({ text: 'No due date', tone: 'none' });
  });

  it('sorts pending tasks soonest due first, undated last', () => {
    const task = (id: string, dueAt: string | null, createdAt = at(0)) => ({ id, dueAt, createdAt, decidedAt: null });
    const sorted = byDueTime([task('none-old', null, at(-H)), task('late', at(5 * H)), task('none-new', null), task('soon', at(H))]);
    expect(sorted.map((t) => t.id)).toEqual(['soon', 'late', 'none-old', 'none-new']);
  });

  it('sorts decided tasks newest decision first', () => {
    const task = (id: string, decidedAt: string) => ({ id, dueAt: null, createdAt: at(-9 * H), decidedAt });
    expect(byDecisionTime([task('a', at(-3 * H)), task('b', at(-H)), task('c', at(-2 * H))]).map((t) => t.id)).toEqual(['b', 'c', 'a']);
  });
});
