// Parking: many runs start, reach a 30-day wait and leave memory; then the fake clock jumps 30 days
// and they all resume and finish. Waiting runs should cost rows on disk, not memory (DESIGN §3).
import { fileURLToPath } from 'node:url';
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { FakeClock } from '../server/engine/clock.js';
import { createHarness } from '../server/testing/harness.js';
import { diskBytes, statusCounts, timerCount } from './db-stats.js';
import { gcAvailable, settledMemory, type MemorySample } from './memory.js';
import { parkingGraph } from './workloads.js';
import { runIsolated } from './isolated.js';

export interface ParkingResult {
  runs: number;
  chunk: number;
  parkSeconds: number;
  parkedPerSec: number;
  /** Memory before parking, with a tenth of the runs parked, and with all of them parked. */
  memory: { before: MemorySample; tenth: MemorySample; parked: MemorySample };
  rssGrowth: number;
  heapGrowth: number;
  /** RSS added per run between a tenth and all runs parked: what one more parked run costs. */
  marginalRssPerRun: number;
  /** Whether memory was sampled after a forced garbage collection. */
  gcForced: boolean;
  disk: { file: number; wal: number; total: number };
  resumeSeconds: number;
  resumedPerSec: number;
}

export interface ParkingOptions {
  runs?: number;
  chunk?: number;
  wait?: string;
}

const log = (message: string) => process.stderr.write(`  … ${message}\n`);

const CHILD = fileURLToPath(new URL('./parking.child.ts', import.meta.url));

/** Measures parking in a fresh Node process, for a clean RSS baseline (see isolated.ts). */
export function measureParkingIsolated(sync: SqliteSync, options: ParkingOptions = {}): Promise<ParkingResult> {
  return runIsolated<ParkingResult>(CHILD, { sync, options }, 'parking');
}

export async function measureParking(sync: SqliteSync, options: ParkingOptions = {}): Promise<ParkingResult> {
  const runs = options.runs ?? 100_000;
  const chunk = options.chunk ?? 2_000;
  const wait = options.wait ?? '30d';
  // Warm the process first (JIT, V8's young generation, malloc arenas) on a throwaway database, so
  // the RSS growth below is what the parked runs add to a running worker, not start-up costs.
  await parkAndResume(sync, { runs: Math.min(2_000, runs), chunk, wait });
  return parkAndResume(sync, { runs, chunk, wait });
}

async function parkAndResume(sync: SqliteSync, { runs, chunk, wait }: Required<ParkingOptions>): Promise<ParkingResult> {
  const clock = new FakeClock();
  const harness = await createHarness({ sync, clock });
  try {
    const { versionId } = await harness.publish(parkingGraph(wait));
    const startRuns = async (count: number): Promise<number> => {
      const began = performance.now();
      // Chunks, each awaited: a stream of starts, and never 100k promises alive at once.
      for (let started = 0; started < count; started += chunk) {
        await Promise.all(Array.from({ length: Math.min(chunk, count - started) }, () => harness.engine.startRun({ versionId, input: {} })));
      }
      return performance.now() - began;
    };

    const before = await settledMemory();
    const tenthCount = Math.floor(runs / 10);
    let parkMs = await startRuns(tenthCount);
    // Sampled between two timed stretches, so the collections are not counted as parking time.
    const tenth = await settledMemory();
    if (runs >= 20_000) log(`${sync}: ${tenthCount.toLocaleString('en')} runs parked`);
    parkMs += await startRuns(runs - tenthCount);
    const drainBegan = performance.now();
    await harness.worker.drain();
    const parkSeconds = (parkMs + performance.now() - drainBegan) / 1000;

    const parked = (await statusCounts(harness)).waiting ?? 0;
    const timers = await timerCount(harness);
    if (parked !== runs || timers !== runs) throw new Error(`parking benchmark: ${parked} runs waiting and ${timers} timers, expected ${runs}`);
    const after = await settledMemory();
    const disk = diskBytes(harness.url);
    if (runs >= 20_000) log(`${sync}: ${runs.toLocaleString('en')} runs parked; the clock moves ${wait}`);

    const resumeBegan = performance.now();
    clock.advance(wait);
    await harness.worker.drain();
    const resumeSeconds = (performance.now() - resumeBegan) / 1000;
    const counts = await statusCounts(harness);
    const completed = counts.completed ?? 0;
    if (completed !== runs) throw new Error(`parking benchmark: ${completed} of ${runs} runs completed after the wait (${JSON.stringify(counts)})`);

    return {
      runs,
      chunk,
      parkSeconds,
      parkedPerSec: runs / parkSeconds,
      memory: { before, tenth, parked: after },
      rssGrowth: after.rss - before.rss,
      heapGrowth: after.heapUsed - before.heapUsed,
      marginalRssPerRun: (after.rss - tenth.rss) / (runs - tenthCount),
      gcForced: gcAvailable,
      disk,
      resumeSeconds,
      resumedPerSec: runs / resumeSeconds,
    };
  } finally {
    await harness.close();
  }
}
