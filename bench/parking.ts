// Parking: many runs start, reach a 30-day wait and leave memory; then the fake clock jumps 30 days
// and they all resume and finish. Waiting runs should cost rows on disk, not memory (DESIGN §3).
import type { SqliteSync } from '../server/db/sqlite/open.js';
import { FakeClock } from '../server/engine/clock.js';
import { createHarness } from '../server/engine/testing/harness.js';
import { diskBytes, statusCounts, timerCount } from './db-stats.js';
import { settledMemory } from './memory.js';
import { parkingGraph } from './workloads.js';

export interface ParkingResult {
  runs: number;
  chunk: number;
  parkSeconds: number;
  parkedPerSec: number;
  rssBefore: number;
  rssParked: number;
  rssGrowth: number;
  heapGrowth: number;
  disk: { file: number; wal: number; total: number };
  resumeSeconds: number;
  resumedPerSec: number;
}

const log = (message: string) => process.stderr.write(`  … ${message}\n`);

export async function measureParking(sync: SqliteSync, options: { runs?: number; chunk?: number; wait?: string } = {}): Promise<ParkingResult> {
  const runs = options.runs ?? 100_000;
  const chunk = options.chunk ?? 2_000;
  const wait = options.wait ?? '30d';
  const clock = new FakeClock();
  const harness = await createHarness({ sync, clock });
  try {
    const { versionId } = harness.publish(parkingGraph(wait));
    const before = await settledMemory();

    const parkBegan = performance.now();
    // Chunks, each awaited: a realistic stream of starts, and no 100k promises alive at once.
    for (let started = 0; started < runs; started += chunk) {
      const size = Math.min(chunk, runs - started);
      await Promise.all(Array.from({ length: size }, () => harness.engine.startRun({ versionId, input: {} })));
      if ((started + size) % 20_000 === 0) log(`${sync}: ${(started + size).toLocaleString('en')} runs parked`);
    }
    await harness.worker.drain();
    const parkSeconds = (performance.now() - parkBegan) / 1000;

    const parked = statusCounts(harness.db).waiting ?? 0;
    const timers = timerCount(harness.db);
    if (parked !== runs || timers !== runs) throw new Error(`parking benchmark: ${parked} runs waiting and ${timers} timers, expected ${runs}`);
    const after = await settledMemory();
    const disk = diskBytes(harness.file);

    const resumeBegan = performance.now();
    clock.advance(wait);
    await harness.worker.drain();
    const resumeSeconds = (performance.now() - resumeBegan) / 1000;
    const completed = statusCounts(harness.db).completed ?? 0;
    if (completed !== runs) throw new Error(`parking benchmark: ${completed} of ${runs} runs completed after the wait (${JSON.stringify(statusCounts(harness.db))})`);

    return {
      runs,
      chunk,
      parkSeconds,
      parkedPerSec: runs / parkSeconds,
      rssBefore: before.rss,
      rssParked: after.rss,
      rssGrowth: after.rss - before.rss,
      heapGrowth: after.heapUsed - before.heapUsed,
      disk,
      resumeSeconds,
      resumedPerSec: runs / resumeSeconds,
    };
  } finally {
    await harness.close();
  }
}
