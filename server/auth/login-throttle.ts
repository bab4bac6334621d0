// Login throttle: sliding windows of failed sign-ins per user name and per client address, on the
// injected clock. An attempt takes its place in both windows before its password is checked, so a
// burst of parallel guesses cannot slip past the limit; only a success gives the place back.
import type { Clock } from '../engine/clock.js';

export interface ThrottleLimits {
  /** Failed sign-ins per user name within `windowMs` (default 5). */
  perName: number;
  /** Failed sign-ins per client address within `windowMs`, whatever the names (default 20). */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perName: 5, perAddress: 20, windowMs: 15 * 60_000 };

/** Keys kept before expired windows are swept (and the oldest dropped when that is not enough). */
const MAX_KEYS = 10_000;

/** A sign-in refused for too many failures; `retryAfterMs` is when the oldest one leaves the window. */
export class ThrottledError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'ThrottledError';
  }
}

/** The key of a client address: IPv6 clients usually hold a whole /64, so that is one key. */
export function addressKey(address: string): string {
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (!plain.includes(':')) return plain;
  const [head, tail = ''] = plain.toLowerCase().split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = plain.includes('::') && tail ? tail.split(':') : [];
  const groups = plain.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export interface Attempt {
  name: string;
  address: string;
  at: number;
}

export class LoginThrottle {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
  ) {}

  /**
   * Takes a place for one attempt in the name's and the address's windows, or throws ThrottledError
   * (taking nothing) when either is full. Pass the attempt to `succeeded` if the password was right.
   */
  begin(name: string, address: string): Attempt {
    const now = this.clock.now();
    const nameKey = `name:${name.toLowerCase().slice(0, 100)}`;
    const addrKey = `addr:${addressKey(address)}`;
    const waitName = this.waitFor(nameKey, this.limits.perName, now);
    const waitAddress = this.waitFor(addrKey, this.limits.perAddress, now);
    if (waitName > 0 || waitAddress > 0) {
      const what = waitName > 0 ? `for "${name.slice(0, 40)}"` : 'from your address';
      throw new ThrottledError(`too many failed sign-ins ${what}; try again in ${minutes(Math.max(waitName, waitAddress))}`, Math.max(waitName, waitAddress));
    }
    this.push(nameKey, now);
    this.push(addrKey, now);
    return { name: nameKey, address: addrKey, at: now };
  }

  /** A right password: the name's failures are forgotten; the address keeps other names' failures. */
  succeeded(attempt: Attempt): void {
    this.windows.delete(attempt.name);
    const stamps = this.windows.get(attempt.address);
    const index = stamps?.indexOf(attempt.at) ?? -1;
    if (stamps && index >= 0) stamps.splice(index, 1);
  }

  /** How many names and addresses it holds windows for (bounded; see sweep). */
  get size(): number {
    return this.windows.size;
  }

  /** Milliseconds until the window has room for one more failure (0: room now). */
  private waitFor(key: string, limit: number, now: number): number {
    const stamps = this.windows.get(key);
    if (!stamps) return 0;
    const from = now - this.limits.windowMs;
    while (stamps.length > 0 && stamps[0] <= from) stamps.shift();
    if (stamps.length === 0) this.windows.delete(key);
    if (stamps.length < limit) return 0;
    return stamps[stamps.length - limit] + this.limits.windowMs - now;
  }

  private push(key: string, at: number): void {
    const stamps = this.windows.get(key);
    if (stamps) stamps.push(at);
    else this.windows.set(key, [at]);
    if (this.windows.size > MAX_KEYS) this.sweep(at);
  }

  /**
   * Bounded memory under a spray of names or addresses: expired windows go first, then the oldest
   * keys down to three quarters of the cap, so sweeps stay rare (amortised O(1) per attempt).
   */
  private sweep(now: number): void {
    for (const [key, stamps] of this.windows) {
      if (stamps[stamps.length - 1] <= now - this.limits.windowMs) this.windows.delete(key);
    }
    for (const key of this.windows.keys()) {
      if (this.windows.size <= (MAX_KEYS * 3) / 4) break;
      this.windows.delete(key);
    }
  }
}

function minutes(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
