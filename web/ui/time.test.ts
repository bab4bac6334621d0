import { describe, expect, it } from 'vitest';
import { byDecisionTime, byDueTime, countdown, relativeTime, spanText, timeLeft } from './time.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const S = 1_000;
const H = 3_600_000;
const D = 24 * H;

describe('time words', () => {
  it.each([
    [400, 'less than a second'],
    [30 * S, '30 s'],
    [3 * 60 * S, '3 min'],
    [4 * 60 * S + 12 * S, '4 min 12 s'],
    [2 * H, '2 h'],
    [5 * H + 12 * 60 * S, '5 h 12 min'],
    [D, '1 day'],
    [7 * D - 5 * S, '6 days 23 h'],
  ])('spans %d ms as "%s"', (ms, text) => {
    expect(spanText(ms)).toBe(text);
    expect(spanText(-ms)).toBe(text);
  });

  it.each([
    [at(-10 * S), 'just now'],
    [at(10 * S), 'just now'],
    [at(-5 * 60 * S), '5 minutes ago'],
    [at(-3 * H), '3 hours ago'],
    [at(-D), 'yesterday'],
    [at(-21 * D), '3 weeks ago'],
    [at(-400 * D), 'last year'],
    [at(3 * H), 'in 3 hours'],
    [at(D), 'tomorrow'],
    ['not a date', '—'],
    ['', '—'],
  ])('words %s relative to now as "%s"', (iso, text) => expect(relativeTime(iso, NOW)).toBe(text));

  it('says how long is left until a task is due, or how long it is overdue', () => {
    expect(timeLeft(at(7 * D - 5 * S), NOW)).toEqual({ text: 'Due in 6 days 23 h', tone: 'ok' });
    expect(timeLeft(at(3 * H), NOW)).toEqual({ text: 'Due in 3 h', tone: 'soon' });
    expect(timeLeft(at(-2 * H), NOW)).toEqual({ text: 'Overdue by 2 h', tone: 'overdue' });
    expect(timeLeft(null, NOW)).toEqual({ text: 'No due date', tone: 'none' });
    expect(timeLeft('soon', NOW)).toEqual({ text: 'No due date', tone: 'none' });
  });

  it('counts down to a wake-up in the same words, and says when it is due', () => {
    expect(countdown(at(H + 30 * 60 * S), NOW)).toEqual({ text: 'in 1 h 30 min', overdue: false });
    expect(countdown(at(-2 * S), NOW)).toEqual({ text: 'due 2 s ago', overdue: true });
    expect(countdown('garbage', NOW)).toEqual({ text: '—', overdue: false });
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
