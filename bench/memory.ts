// Process memory as the benchmarks report it: RSS after a full garbage collection, so growth
// measures what the process keeps, not garbage it has not collected yet.
import v8 from 'node:v8';
import vm from 'node:vm';

export interface MemorySample {
  rss: number;
  /** V8's reserved heap (what the JS heap holds from the OS) and the live part of it. */
  heapTotal: number;
  heapUsed: number;
  /** Memory outside the V8 heap that JS objects own (buffers); SQLite's own allocations are not in it. */
  external: number;
}

// `npm run bench` runs plain `tsx`, without --expose-gc. V8 can still expose `gc` at run time: set
// the flag, then read `gc` from a fresh context, which is created after the flag is set.
function findGc(): (() => void) | undefined {
  if (typeof globalThis.gc === 'function') return globalThis.gc as () => void;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

const gc = findGc();

export const gcAvailable = gc !== undefined;

/** RSS and heap after two collections, a turn of the event loop apart (finalizers, weak refs). */
export async function settledMemory(): Promise<MemorySample> {
  for (let i = 0; i < 2; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { rss, heapTotal, heapUsed, external } = process.memoryUsage();
  return { rss, heapTotal, heapUsed, external };
}
