// The live event bus (events.ts): task changes, which carry nothing, reach each listener once per
// turn however many happened in it; a run's changes all reach its own listeners, and listeners of
// every run hear one per turn.
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

  it('gives a run\'s own listener each of its changes, in order, and a listener of every run the last change of each turn', async () => {
    const live = new LiveEvents();
    const stop = new AbortController();
    const one = live.run('r1', stop.signal);
    const any = live.runs(stop.signal);
    const change = (instanceId: string, rev: number) => ({ instanceId, status: 'running' as const, rev });
    for (let rev = 1; rev <= 3; rev++) live.runChanged(change('r1', rev));
    live.runChanged(change('r2', 1));
    const revs: number[] = [];
    for (let i = 0; i < 3; i++) revs.push(((await one.next()).value as [{ rev: number }])[0].rev);
    expect(revs).toEqual([1, 2, 3]);
    expect(((await any.next()).value as [{ instanceId: string }])[0]).toEqual(change('r2', 1));
    // Nothing more was queued for either: r2 is not r1's, and the turn made one event.
    let more = 0;
    void one.next().then(() => more++);
    void any.next().then(() => more++);
    await nextTurn();
    await nextTurn();
    expect(more).toBe(0);
    live.runChanged(change('r1', 4));
    await nextTurn();
    await nextTurn();
    expect(more).toBe(2);
    stop.abort();
  });
});
