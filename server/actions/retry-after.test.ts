// Retry-After as servers send it, and as hostile or broken ones do: never NaN, negative or past a year.
import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from './retry-after.js';

const NOW = Date.UTC(2026, 0, 1);

describe('retryAfterMs', () => {
  it.each([
    ['120', 120_000],
    [' 30 ', 30_000],
    ['1.5', 1_500],
    ['0', 0],
    ['99999999999999', MAX_RETRY_AFTER_MS],
    ['9'.repeat(400), MAX_RETRY_AFTER_MS],
    ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['Thursday, 01-Jan-26 00:01:00 GMT', 60_000],
    ['Thu Jan  1 00:00:05 2026', 5_000],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['Fri, 31 Dec 9999 23:59:59 GMT', MAX_RETRY_AFTER_MS],
  ])('%j → %s ms', (header, expected) => {
    expect(retryAfterMs(header, NOW)).toBe(expected);
  });

  it.each([null, undefined, '', '   ', '-5', '1e400', 'Infinity', 'NaN', '0x10', 'soon', 'soon 5', '2026-01-01', 'Thu, 99 Foo 2026 GMT'])('ignores %j', (header) => {
    expect(retryAfterMs(header, NOW)).toBeUndefined();
  });
});
