// Durations as written in graphs: "500ms", "30s", "5m", "1h", "7d", "2w", "1y", or ISO 8601 ("P7D",
// "PT1H30M", "P1Y"). Months are refused: their length depends on the calendar, and a durable timer
// must be exact; a year is 365 days. Nothing may last longer than a year (DESIGN §3: the limit of a
// wait, a time-out and a retry delay), which also keeps every due time a representable date.

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 } as const;

/** The longest wait, time-out or retry delay: one year of 365 days. */
export const MAX_DURATION_MS = UNIT_MS.y;

const SHORT_FORM = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/;
const ISO_FORM = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Starts every "too long" message, so callers can tell it from a malformed duration. */
export const TOO_LONG = 'longer than the limit of 1 year';

export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

export function parseDuration(text: string): DurationResult {
  const ms = millisecondsOf(typeof text === 'string' ? text.trim() : '');
  if (ms === undefined) {
    return {
      ok: false,
      message: `"${String(text)}" is not a duration; use a number with ms, s, m, h, d, w or y ("30s", "7d") or ISO 8601 ("P7D")`,
    };
  }
  if (ms > MAX_DURATION_MS) return { ok: false, message: `"${String(text)}" is ${TOO_LONG} ("1y", "P1Y")` };
  return { ok: true, ms };
}

function millisecondsOf(trimmed: string): number | undefined {
  const short = SHORT_FORM.exec(trimmed);
  if (short) return Math.round(Number(short[1]) * UNIT_MS[short[2] as keyof typeof UNIT_MS]);
  const iso = ISO_FORM.exec(trimmed);
  if (iso && trimmed !== 'P' && !trimmed.endsWith('T')) {
    const [, y, w, d, h, m, s] = iso.map((part) => Number(part ?? 0));
    return Math.round(y * UNIT_MS.y + w * UNIT_MS.w + d * UNIT_MS.d + h * UNIT_MS.h + m * UNIT_MS.m + s * UNIT_MS.s);
  }
  return undefined;
}

/** For durations already checked by the validator; a bad one here is a bug, so it throws. */
export function durationMs(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.ms;
}

export function isDuration(text: unknown): boolean {
  return typeof text === 'string' && parseDuration(text).ok;
}

/** A compact human form for logs and the CLI: 90061000 → "1d 1h 1m 1s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.join(' ');
}
