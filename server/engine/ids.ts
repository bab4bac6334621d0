// Time-ordered ids (UUID version 7 layout): runs created together sit together in every index keyed
// by run id (history, timers), so a commit touches few pages instead of scattered ones. The time is
// the injected clock's, like every other time the engine writes.
import { fillRandom } from './random-pool.js';
import type { Clock } from './clock.js';

let lastMs = 0;
let sequence = 0;
const random = new Uint8Array(16);

export function newRunId(clock: Pick<Clock, 'now'>): string {
  const now = clock.now();
  // A counter in the 12 "rand_a" bits keeps ids created in the same millisecond in order; a clock
  // that reads earlier than an id already made (another test's clock) continues from that id.
  if (now <= lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
    }
  } else {
    lastMs = now;
    sequence = 0;
  }
  fillRandom(random);
  const bytes = random;
  const ms = lastMs;
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = (ms >>> 24) & 0xff;
  bytes[3] = (ms >>> 16) & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | ((sequence >>> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
