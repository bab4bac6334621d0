// Run ids are UUIDv7-shaped, carry the injected clock's time, and sort in creation order, even
// within one millisecond.
import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { newRunId } from './ids.js';

const timeOf = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('newRunId', () => {
  it('is a version-7 UUID', () => {
    expect(newRunId(new FakeClock())).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("carries the injected clock's time, not the machine's", () => {
    // Far past any id made before in this process, so the time is the clock's own.
    const clock = new FakeClock(Date.UTC(2200, 0, 1));
    expect(timeOf(newRunId(clock))).toBe(Date.UTC(2200, 0, 1));
    clock.advance('7d');
    expect(timeOf(newRunId(clock))).toBe(Date.UTC(2200, 0, 8));
  });

  it('sorts in creation order, within a millisecond and across them', () => {
    const clock = new FakeClock(Date.UTC(2300, 0, 1));
    const ids = Array.from({ length: 5_000 }, () => newRunId(clock));
    clock.advance('1d');
    ids.push(newRunId(clock));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(timeOf(ids.at(-1)!)).toBe(Date.UTC(2300, 0, 2));
  });

  it('stays in order when a clock reads earlier than an id already made', () => {
    const later = newRunId(new FakeClock(Date.UTC(2400, 0, 1)));
    const earlier = newRunId(new FakeClock(Date.UTC(2026, 0, 1)));
    expect(earlier > later).toBe(true);
  });
});

describe('the random pool behind ids', () => {
  it('never hands out the same bytes twice, across refills of the pool', async () => {
    const { fillRandom } = await import('./random-pool.js');
    const seen = new Set<string>();
    // 16 bytes at a time, well past the 4 KiB pool: several refills.
    for (let i = 0; i < 1_000; i++) seen.add(Buffer.from(fillRandom(new Uint8Array(16))).toString('hex'));
    expect(seen.size).toBe(1_000);
  });
});
