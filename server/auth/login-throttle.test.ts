// The throttle's windows on a FakeClock, its address keys, its memory bound; and token roles.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { addressKey, LoginThrottle, ThrottledError } from './login-throttle.js';
import { tokenRoles } from './principal.js';

describe('LoginThrottle', () => {
  it('slides: each failure leaves the window 15 minutes after it happened', () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle(clock, { perName: 3, perAddress: 100, windowMs: 15 * 60_000 });
    for (let i = 0; i < 3; i++) {
      throttle.begin('ed', '192.0.2.1');
      clock.advance('5m');
    }
    // Failures at 0, 5 and 10 minutes; now 15: the first has just left.
    throttle.begin('ed', '192.0.2.1');
    const refused = (() => {
      try {
        throttle.begin('ed', '192.0.2.1');
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(ThrottledError);
    expect((refused as ThrottledError).retryAfterMs).toBe(5 * 60_000);
  });

  it('keeps its memory bounded under a spray of names', () => {
    const throttle = new LoginThrottle(new FakeClock(), { perName: 5, perAddress: 1_000_000, windowMs: 60_000 });
    for (let i = 0; i < 50_000; i++) throttle.begin(`name${i}`, '192.0.2.1');
    expect(throttle.size).toBeLessThanOrEqual(10_001);
  });
});

describe('addressKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:0:0:1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s → %s', (address, key) => expect(addressKey(address)).toBe(key));
});

describe('tokenRoles: a token never grants more than its owner holds now', () => {
  it.each([
    ['editor', ['admin'], ['editor']],
    ['admin', ['admin'], ['admin']],
    ['admin', ['editor'], ['editor']],
    ['editor', ['approver', 'manager'], ['approver', 'manager']],
    ['approver', ['editor'], ['approver']],
    ['editor', ['manager'], ['manager']],
    ['editor', [], []],
    ['superuser', ['admin'], []],
  ])('a %s token of an owner with %o acts as %o', (role, owner, roles) => expect(tokenRoles(role, owner)).toEqual(roles));
});
