// The live event bus (events.ts): task changes, which carry nothing, reach each listener once per
// turn however many happened in it; run changes, which each carry a run, all arrive.
import { describe, expect, it } from 'vitest';
import { LiveEvents } from './events.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('LiveEvents', () => {
  it('gives a listener one task event for a turn of a thousand task changes, and one more for a later turn', async () => {
    const live = new LiveEvents();
    const stop = new AbortController();
    const tasks = live.tasks(stop.signal);
    let heard = 0;
    const listening = (async () => {
      try {
        while (!(await tasks.next()).done) heard++;
      } catch {
        // Aborted: the listener stops.
      }
    })();
    for (let i = 0; i < 1_000; i++) live.tasksChanged();
    await nextTurn();
    await nextTurn();
    expect(heard).toBe(1);
    live.tasksChanged();
    live.tasksChanged();
    await nextTurn();
    await nextTurn();
    expect(heard).toBe(2);
    stop.abort();
    await listening;
  });

  it('passes every run change on, in order', async () => {
    const live = new LiveEvents();
    const stop = new AbortController();
    const runs = live.runs(stop.signal);
    for (let rev = 1; rev <= 3; rev++) live.runChanged({ instanceId: 'r1', status: 'running', rev } as Parameters<LiveEvents['runChanged']>[0]);
    const revs: number[] = [];
    for (let i = 0; i < 3; i++) revs.push(((await runs.next()).value as [{ rev: number }])[0].rev);
    expect(revs).toEqual([1, 2, 3]);
    stop.abort();
  });
});
