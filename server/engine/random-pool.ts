// Random bytes for ids, taken from a pool refilled 4 KiB at a time: one randomFillSync per id cost
// about 10 µs each (a run id and a trace id per start), a tenth of a start's CPU (issue 21).
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let offset = POOL_BYTES;

/** Fill `target` with cryptographically strong random bytes. */
export function fillRandom(target: Uint8Array): Uint8Array {
  if (offset + target.length > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  target.set(pool.subarray(offset, offset + target.length));
  // Bytes handed out are never handed out again.
  offset += target.length;
  return target;
}
