// Time words for the inbox: how long until a task is due (or how long it is overdue), the order of
// the lists, and dates as people read them. Pure functions of `now`, so they are easy to test.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type DueTone = 'none' | 'ok' | 'soon' | 'overdue';

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** A span in its two largest units, rounded down: "6 days 23 h", "5 h 12 min", "3 min". */
export function spanText(ms: number): string {
  const span = Math.abs(ms);
  if (span < MINUTE) return 'less than a minute';
  const days = Math.floor(span / DAY);
  const hours = Math.floor((span % DAY) / HOUR);
  const minutes = Math.floor((span % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${plural(days, 'day')} ${hours} h` : plural(days, 'day');
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
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
