// Cron expressions in a time zone (croner): checking what an editor types, naming the field that
// is wrong, and the ticks a schedule has — the next ones, and those due in a window.
import { Cron } from 'croner';

/** Schedules may not fire more often than this (README: a minute), so one cannot flood the engine. */
export const MIN_INTERVAL_MS = 60_000;
/** How many consecutive ticks are looked at to find the shortest gap between two. */
const GAP_SAMPLE = 100;

export interface CronSpec {
  cron: string;
  timezone: string;
}

export interface CronProblem {
  field: 'cron' | 'timezone';
  message: string;
}

function job(spec: CronSpec): Cron {
  // 5 fields (minute precision), or 6 with seconds first; `@hourly` and the like are accepted too.
  return new Cron(spec.cron.trim(), { timezone: spec.timezone, mode: '5-or-6-parts' });
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.trim() !== '';
  } catch {
    return false;
  }
}

/** Every problem of a schedule's expression and zone; none means it is valid and fires at most once a `minIntervalMs`. */
export function cronProblems(spec: CronSpec, options: { now: number; minIntervalMs?: number }): CronProblem[] {
  const minIntervalMs = options.minIntervalMs ?? MIN_INTERVAL_MS;
  if (!isTimeZone(spec.timezone)) return [{ field: 'timezone', message: `"${spec.timezone}" is not an IANA time zone (such as UTC, Europe/Berlin or America/New_York)` }];
  if (spec.cron.trim() === '') return [{ field: 'cron', message: 'give a cron expression, such as */5 * * * * (every five minutes)' }];
  let ticks: Date[];
  try {
    ticks = job(spec).nextRuns(GAP_SAMPLE, new Date(options.now));
  } catch (error) {
    return [{ field: 'cron', message: `"${spec.cron}" is not a cron expression: ${(error as Error).message.replace(/^CronPattern: /, '')}` }];
  }
  if (ticks.length === 0) return [{ field: 'cron', message: `"${spec.cron}" never fires` }];
  for (let i = 1; i < ticks.length; i++) {
    const gap = ticks[i].getTime() - ticks[i - 1].getTime();
    if (gap < minIntervalMs) {
      return [{ field: 'cron', message: `"${spec.cron}" fires ${formatGap(gap)} apart; schedules fire at most once every ${formatGap(minIntervalMs)}` }];
    }
  }
  return [];
}

function formatGap(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}` : `${ms / 1000} second${ms === 1000 ? '' : 's'}`;
}

/** The first tick strictly after `after` (epoch ms), or null if it never fires again. */
export function nextTick(spec: CronSpec, after: number): number | null {
  return job(spec).nextRun(new Date(after))?.getTime() ?? null;
}

/** The next `count` ticks strictly after `after`. */
export function nextTicks(spec: CronSpec, after: number, count: number): number[] {
  return job(spec).nextRuns(count, new Date(after)).map((date) => date.getTime());
}

/** The ticks in [from, to], oldest first; at most the `limit` latest. */
export function ticksBetween(spec: CronSpec, from: number, to: number, limit: number): number[] {
  // Past ticks are found from the end: a schedule down for a year is not walked tick by tick.
  // (croner looks strictly before a whole second: a second past `to` keeps a tick at `to`.)
  const ticks = job(spec).previousRuns(limit, new Date(to + 1_000)).map((date) => date.getTime());
  return ticks.filter((tick) => tick >= from && tick <= to).sort((a, b) => a - b);
}
