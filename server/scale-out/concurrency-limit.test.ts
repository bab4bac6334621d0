// A concurrency limit across workers (issue 18): three workers, each with its own pool and its own
// wake-up listener, on one PostgreSQL database; 50 runs of a limit-5 workflow are started through
// all three engines at once, so starts and finishes race on different connections. The runs' one
// step counts how many of its attempts are under way at each moment (all three workers are in
// this process), and a sampler reads the runs in flight from the database throughout.
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../actions/registry.js';
import { systemClock } from '../engine/clock.js';
import { buildGraph } from '../testing/graphs.js';
import { createHarness, until, type Harness } from '../testing/harness.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

const LIMIT = 5;
const RUNS = 50;
const WAVE = 5;
let database: TestDatabase | undefined;
const harnesses: Harness[] = [];
afterAll(async () => {
  for (const harness of harnesses) await harness.close();
  await database?.drop();
});

describe('a concurrency limit on PostgreSQL with three workers', () => {
  it('never more than 5 in flight, all 50 complete, admitted in start order', async () => {
    database = await createTestDatabase('postgresql');
    let underWay = 0;
    let most = 0;
    const work = defineAction({
      name: 'work',
      description: 'test: takes a little real time, counting attempts under way',
      input: z.object({}).passthrough(),
      async run() {
        most = Math.max(most, ++underWay);
        await new Promise((resolve) => setTimeout(resolve, 15));
        underWay--;
        return { ok: true };
      },
    });
    const clock = systemClock;
    for (const workerId of ['limit-a', 'limit-b', 'limit-c']) {
      harnesses.push(await createHarness({ databaseUrl: database.url, workerId, clock, actions: [work]}));
    }
    const [a] = harnesses;
    const { versionId } = await a.publish(buildGraph([['start', 'start'], ['work', 'step', { action: 'work', input: {} }], ['end', 'end']], ['start.next -> work', 'work.ok -> end']), 'limited');
    await a.database.scalar('UPDATE workflows SET concurrency_limit = ? WHERE slug = ? RETURNING id', LIMIT, 'limited');

    let sampling = true;
    let mostInDatabase = 0;
    const sampler = (async () => {
      while (sampling) {
        mostInDatabase = Math.max(mostInDatabase, await a.count("SELECT COUNT(*) FROM instances WHERE status IN ('pending', 'running', 'waiting', 'paused')"));
      }
    })();
    // Started in waves of five, each run through the next worker's engine: within a wave the starts
    // race on three pools, so their rows may commit in either order; a wave is asked for once the
    // one before it has returned, so its runs are definitely later than every earlier wave's. Runs
    // of the first waves finish (and admit queued ones) while later waves start.
    const ids: string[] = [];
    const acceptedBefore: string[][] = [];
    const starts: Promise<unknown>[] = [];
    for (let wave = 0; wave < RUNS / WAVE; wave++) {
      const earlier = ids.slice(0, wave * WAVE);
      const waveStarts: Promise<unknown>[] = [];
      for (let i = wave * WAVE; i < (wave + 1) * WAVE; i++) {
        acceptedBefore[i] = earlier;
        waveStarts.push(harnesses[i % 3].engine.startRun({ versionId, input: { i } }).then((run) => (ids[i] = run.id)));
        await new Promise((resolve) => setImmediate(resolve));
      }
      starts.push(...waveStarts);
      await Promise.all(waveStarts);
    }
    await Promise.all(starts);
    await until(async () => (await a.count("SELECT COUNT(*) FROM instances WHERE status = 'completed'")) === RUNS, { timeoutMs: 60_000, what: 'every run to complete' });
    sampling = false;
    await sampler;

    expect(most).toBeLessThanOrEqual(LIMIT);
    expect(mostInDatabase).toBeLessThanOrEqual(LIMIT);
    expect(most).toBeGreaterThan(1);
    // Admitted in start order: when run n made its first transition, every run of an earlier wave
    // had been admitted, so those that had not begun yet were pending beside it, in flight — at most
    // LIMIT - 1 of them.
    const began = new Map((await a.rows<{ instance_id: string; at: number }>("SELECT instance_id, at FROM history_events WHERE type = 'runStarted'")).map((row) => [row.instance_id, Number(row.at)]));
    expect(began.size).toBe(RUNS);
    for (let n = 0; n < RUNS; n++) {
      const overtaken = acceptedBefore[n].filter((earlier) => began.get(earlier)! > began.get(ids[n])!);
      expect(overtaken.length, `run ${n} began before ${overtaken.length} runs of earlier waves`).toBeLessThan(LIMIT);
    }
  }, 120_000);
});
