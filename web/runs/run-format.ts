// Words and numbers for runs: short ids, durations and the words for waits (relative times and countdowns
// are ui/time.ts's).
import type { WaitKind } from '../../shared/runs/waits.js';

/** UUIDv7 ids start with the time, so runs started together share a prefix: show the random tail. */
export const shortId = (id: string) => (id.length > 10 ? id.slice(-8) : id);

const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** "850 ms", "12s", "4m 12s", "3h 5m", "6d 23h": the two largest units that matter. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(abs)} ms`;
  for (let index = 0; index < UNITS.length; index++) {
    const [unit, size] = UNITS[index];
    if (abs < size) continue;
    const major = Math.floor(abs / size);
    const next = UNITS[index + 1];
    const minor = next ? Math.floor((abs - major * size) / next[1]) : 0;
    return next && minor ? `${major}${unit} ${minor}${next[0]}` : `${major}${unit}`;
  }
  return '0s';
}

export const absoluteTime = (iso: string) => new Date(iso).toLocaleString();

/** 14:03:27.412, for a timeline where several events share a second. */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  const pad = (value: number, size = 2) => String(value).padStart(size, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Every kind of wait has its words; indexed by text, since older rows may name others. */
export const WAIT_KIND_LABELS: Record<string, string> = {
  timer: 'Timer',
  retry: 'Retry back-off',
  signal: 'Signal',
  approval: 'Approval',
  child: 'Child run',
} satisfies Record<WaitKind, string>;
