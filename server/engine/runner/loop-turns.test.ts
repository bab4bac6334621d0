// The loop budget: how long a stretch of work may hold the event loop, and the order in which work
// put off goes on.
import { describe, expect, it } from 'vitest';
import { LoopTurns } from './loop-turns.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));
const busy = (ms: number) => {
  const began = performance.now();
  while (performance.now() - began < ms) {
    // Work that holds the loop.
  }
};

describe('LoopTurns', () => {
  it('says the loop is held once a stretch has run for the budget, and not after the loop has turned', async () => {
    const turns = new LoopTurns(2);
    expect(turns.held()).toBe(false); // the stretch begins
    expect(turns.held()).toBe(false);
    busy(3);
    expect(turns.held()).toBe(true);
    await turn();
    expect(turns.held()).toBe(false);
  });

  it('does not count a wait for I/O within a stretch as holding the loop', () => {
    let idle = 0;
    const turns = new LoopTurns(2, () => idle);
    turns.held(); // the stretch begins
    busy(3);
    expect(turns.held()).toBe(true);

    // The loop then waited for I/O (its idle time grew): the stretch starts again from here.
    idle += 20;
    expect(turns.held()).toBe(false);
    busy(3);
    expect(turns.held()).toBe(true);
  });

  it('makes work that arrives wait behind work already waiting, even within the budget', async () => {
    const turns = new LoopTurns(50);
    expect(turns.mustWait()).toBe(false);
    turns.held();
    busy(60); // the budget is spent: a and b wait
    const seen: boolean[] = [];
    const a = turns.turn().then(() => seen.push(turns.held(), turns.mustWait()));
    const b = turns.turn();
    await Promise.all([a, b]);
    // When a went on, the new turn's budget was not spent, but b still waited: a newcomer goes behind it.
    expect(seen).toEqual([false, true]);
    expect(turns.mustWait()).toBe(false);
  });

  it('lets work put off go on in order of arrival, a budget\'s worth per turn', async () => {
    const turns = new LoopTurns(2);
    turns.held();
    busy(3);
    expect(turns.held()).toBe(true);
    const ran: string[] = [];
    let turnsTaken = 0;
    const counting = setInterval(() => turnsTaken++, 0);
    // Each piece of work holds the loop for 1.2 ms: two of them spend a turn's budget.
    const waiters = ['a', 'b', 'c', 'd', 'e'].map((name) =>
      turns.turn().then(() => {
        ran.push(name);
        busy(1.2);
      }),
    );
    await Promise.resolve();
    expect(ran).toEqual([]); // the budget was spent: nothing goes on in this turn
    await Promise.all(waiters);
    clearInterval(counting);
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'e']);
    // At most two a turn, so the loop turned (and ran the timer) between them.
    expect(turnsTaken).toBeGreaterThanOrEqual(2);
  });
});
