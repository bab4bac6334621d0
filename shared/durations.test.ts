// Durations as DESIGN §2 writes them: "500ms", "30s", "5m", "1h", "7d", "2w" or ISO 8601 ("P7D").
import { describe, expect, it } from 'vitest';
import { durationMs, formatDuration, isDuration, MAX_DURATION_MS, parseDuration } from './durations.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

describe('parseDuration accepts', () => {
  it.each([
    // every unit of DESIGN §2
    ['500ms', 500],
    ['30s', 30 * SECOND],
    ['5m', 5 * MINUTE],
    ['1h', HOUR],
    ['7d', 7 * DAY],
    ['2w', 2 * WEEK],
    // fractions and zero
    ['1.5h', 90 * MINUTE],
    ['0s', 0],
    // ISO 8601
    ['P7D', 7 * DAY],
    ['PT1H30M', 90 * MINUTE],
    ['P2W', 2 * WEEK],
    ['PT30S', 30 * SECOND],
    ['PT0.5S', 500],
    ['P1DT12H', 36 * HOUR],
    ['PT36H', 36 * HOUR],
  ])('%s = %i ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
    expect(isDuration(text)).toBe(true);
    expect(durationMs(text)).toBe(ms);
  });
});

describe('parseDuration rejects', () => {
  it.each([
    ['7 days', 'words'],
    ['', 'empty'],
    ['P', 'ISO with no parts'],
    ['PT', 'ISO with an empty time part'],
    ['P1DT', 'ISO with a dangling T'],
    ['P1M', 'ISO months'],
    ['-1h', 'negative'],
    ['1 h', 'a space before the unit'],
    ['1H', 'an upper-case unit'],
    ['h', 'a unit without a number'],
    ['30', 'a number without a unit'],
  ])('%j (%s)', (text) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(`"${text}"`);
    expect(isDuration(text)).toBe(false);
    expect(() => durationMs(text)).toThrow(`"${text}" is not a duration`);
  });

  it.each([[5], [null], [undefined], [{}], [['1h']]])('isDuration(%j) is false for a non-string', (value) => {
    expect(isDuration(value)).toBe(false);
  });
});

describe('nothing lasts longer than a year (DESIGN §3)', () => {
  it.each([
    ['1y', 365 * DAY],
    ['P1Y', 365 * DAY],
    ['52w', 52 * WEEK],
    ['365d', 365 * DAY],
    ['P0Y6M'.replace('6M', 'T6H'), 6 * HOUR],
  ])('%j is accepted (%i ms)', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each(['999999999w', '1.5y', '2y', 'P1Y1D', '366d', '8761h', '99999999999999999999s'])('%j is refused as too long', (text) => {
    const result = parseDuration(text);
    expect(result).toEqual({ ok: false, message: `"${text}" is longer than the limit of 1 year ("1y", "P1Y")` });
    expect(MAX_DURATION_MS).toBe(365 * DAY);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [500, '500ms'],
    [SECOND, '1s'],
    [90 * SECOND, '1m 30s'],
    [HOUR, '1h'],
    [90 * MINUTE, '1h 30m'],
    [DAY + SECOND, '1d 1s'],
    [90_061_000, '1d 1h 1m 1s'],
    [WEEK, '7d'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
