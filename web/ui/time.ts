// Time words for every page: a moment relative to now ("5 minutes ago"), a span ("6 days 23 h") for
// due times and countdowns, the inbox's order, and dates as people read them. Pure functions of
// `now`, so they are easy to test.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type DueTone = 'none' | 'ok' | 'soon' | 'overdue';

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** A span in its two largest units, rounded down: "6 days 23 h", "5 h 12 min", "3 min 5 s", "12 s". */
export function spanText(ms: number): string {
  const span = Math.abs(ms);
  if (span < SECOND) return 'less than a second';
  const days = Math.floor(span / DAY);
  const hours = Math.floor((span % DAY) / HOUR);
  const minutes = Math.floor((span % HOUR) / MINUTE);
  const seconds = Math.floor((span % MINUTE) / SECOND);
  if (days > 0) return hours > 0 ? `${plural(days, 'day')} ${hours} h` : plural(days, 'day');
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
  return `${seconds} s`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * DAY],
  ['month', 30 * DAY],
  ['week', 7 * DAY],
  ['day', DAY],
  ['hour', HOUR],
  ['minute', MINUTE],
];
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** A moment relative to now, either way: "just now", "5 minutes ago", "yesterday", "in 3 hours". */
export function relativeTime(iso: string, now: number): string {
  const elapsed = now - Date.parse(iso);
  if (!Number.isFinite(elapsed)) return '—';
  if (Math.abs(elapsed) < 45 * SECOND) return 'just now';
  const [unit, size] = UNITS.find(([, ms]) => Math.abs(elapsed) >= ms) ?? ['minute', MINUTE];
  return relative.format(-Math.round(elapsed / size), unit);
}

/** Time left until a wake-up: "in 6 days 23 h", or "due 2 s ago" once passed (the engine is on it). */
export function countdown(iso: string, now: number): { text: string; overdue: boolean } {
  const left = Date.parse(iso) - now;
  if (!Number.isFinite(left)) return { text: '—', overdue: false };
  if (left <= 0) return { text: `due ${spanText(left)} ago`, overdue: true };
  return { text: `in ${spanText(left)}`, overdue: false };
}

/** "due in 6 days 23 h", "overdue by 2 h" or "no due date"; due within a day is "soon". */
export function timeLeft(dueAt: string | null, now: number): { text: string; tone: DueTone } {
  if (!dueAt) return { text: 'No due date', tone: 'none' };
  const left = Date.parse(dueAt) - now;
  if (!Number.isFinite(left)) return { text: 'No due date', tone: 'none' };
  if (left < 0) return { text: `Overdue by ${spanText(left)}`, tone: 'overdue' };
  return { text: `Due in ${spanText(left)}`, tone: left < DAY ? 'soon' : 'ok' };
}

interface Dated {
  dueAt: string | null;
  createdAt: string | null;
  decidedAt: string | null;
}

const time = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN);

/** Pending work: the soonest due first, tasks without a due date last (oldest first among equals). */
export function byDueTime<T extends Dated>(tasks: readonly T[]): T[] {
  return [...tasks].sort((a, b) => {
    const dueA = time(a.dueAt);
    const dueB = time(b.dueAt);
    if (Number.isNaN(dueA) !== Number.isNaN(dueB)) return Number.isNaN(dueA) ? 1 : -1;
    if (!Number.isNaN(dueA) && dueA !== dueB) return dueA - dueB;
    return time(a.createdAt) - time(b.createdAt);
  });
}

/** Decided work: the newest decision first. */
export function byDecisionTime<T extends Dated>(tasks: readonly T[]): T[] {
  return [...tasks].sort((a, b) => (time(b.decidedAt) || 0) - (time(a.decidedAt) || 0));
}

/** "12 Mar 2026, 14:05" in the reader's locale and time zone. */
export function dateTimeText(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
