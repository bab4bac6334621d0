// Durations as written in graphs: "500ms", "30s", "5m", "1h", "7d", "2w", or ISO 8601 ("P7D", "PT1H30M").
// Months and years are refused: their length depends on the calendar, and a durable timer must be exact.

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

const SHORT_FORM = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const ISO_FORM = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

export function parseDuration(text: string): DurationResult {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  const short = SHORT_FORM.exec(trimmed);
  if (short) {
    return { ok: true, ms: Math.round(Number(short[1]) * UNIT_MS[short[2] as keyof typeof UNIT_MS]) };
  }
  const iso = ISO_FORM.exec(trimmed);
  if (iso && trimmed !== 'P' && !trimmed.endsWith('T')) {
    const [, w, d, h, m, s] = iso.map((part) => Number(part ?? 0));
    return { ok: true, ms: Math.round(w * UNIT_MS.w + d * UNIT_MS.d + h * UNIT_MS.h + m * UNIT_MS.m + s * UNIT_MS.s) };
  }
  return {
    ok: false,
    message: `"${String(text)}" is not a duration; use a number with ms, s, m, h, d or w ("30s", "7d") or ISO 8601 ("P7D")`,
  };
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
