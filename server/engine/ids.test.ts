// Run ids are UUIDv7-shaped and sort in creation order, even within one millisecond.
import { describe, expect, it } from 'vitest';
import { newRunId } from './ids.js';

describe('newRunId', () => {
  it('is a version-7 UUID', () => {
    expect(newRunId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts in creation order, within a millisecond and across them', () => {
    const ids = [...Array.from({ length: 5_000 }, () => newRunId(Date.UTC(2026, 0, 1))), newRunId(Date.UTC(2026, 0, 2))];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
