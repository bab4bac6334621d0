// The recorded histories of real runs use only the event types of the shared history map
// (shared/runs/history.ts), so screens that read typed events understand every event the engine writes.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HISTORY_EVENT_TYPES } from '../../shared/runs/history.js';
import { isFinished, RUN_STATUSES } from '../../shared/runs/status.js';

const folder = fileURLToPath(new URL('./fixtures/histories/', import.meta.url));
const recorded = readdirSync(folder).filter((file) => file.endsWith('.json'));

describe('the shared run vocabulary', () => {
  it.each(recorded)('%s: every event type is in the history map, numbered from 1 without gaps', (file) => {
    const { history } = JSON.parse(readFileSync(folder + file, 'utf8')) as { history: { seq: number; type: string }[] };
    expect(history.length).toBeGreaterThan(0);
    for (const event of history) expect(HISTORY_EVENT_TYPES, `${file} #${event.seq}`).toContain(event.type);
    expect(history.map((event) => event.seq)).toEqual(history.map((_, index) => index + 1));
  });

  it('names each history type once, and tells finished statuses from the others', () => {
    expect(new Set(HISTORY_EVENT_TYPES).size).toBe(HISTORY_EVENT_TYPES.length);
    expect(RUN_STATUSES.filter(isFinished)).toEqual(['completed', 'failed', 'cancelled']);
    expect(isFinished('waiting')).toBe(false);
    expect(isFinished('no such status')).toBe(false);
  });
});
