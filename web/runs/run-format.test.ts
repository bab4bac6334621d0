// Durations and ids as the runs pages print them (event labels: history-events.test.ts).
import { describe, expect, it } from 'vitest';
import { formatDuration, shortId } from './run-format.js';

describe('run formatting', () => {
  it('prints the two largest units that matter', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_000)).toBe('12s');
    expect(formatDuration(4 * 60_000 + 12_000)).toBe('4m 12s');
    expect(formatDuration(3 * 3_600_000)).toBe('3h');
    expect(formatDuration(6 * 86_400_000 + 23 * 3_600_000 + 59 * 60_000)).toBe('6d 23h');
  });

  it('shortens ids to their random tail', () => {
    expect(shortId('01a1fdc4-f7d7-7000-bee9-22c043c72ca8')).toBe('43c72ca8');
  });
});
