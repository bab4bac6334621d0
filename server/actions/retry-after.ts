// Reads an HTTP `Retry-After` header (delay-seconds or an HTTP-date) into a delay an engine timer
// can hold: anything else is ignored, and nothing comes out longer than the 1-year limit.
export const MAX_RETRY_AFTER_MS = 365 * 24 * 3_600_000;

/** The delay the header asks for in ms, 0 … 1 year; undefined when absent or not understood. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const ms = Number(value) * 1000;
    return Number.isFinite(ms) ? Math.min(ms, MAX_RETRY_AFTER_MS) : MAX_RETRY_AFTER_MS;
  }
  // HTTP-dates start with the day's name ("Sun, 06 Nov 1994 08:49:37 GMT", or RFC 850 / asctime);
  // V8's lenient Date.parse would otherwise read dates into words such as "soon 5".
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}
