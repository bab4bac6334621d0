// Callback tokens: what is signed verifies to the same reference; any change to the reference, the
// signature or the key is refused, and so are malformed and oversized tokens, before any decoding.
import { describe, expect, it } from 'vitest';
import { callbackKey, callbackUrlSigner, CallbackTokenError, MAX_TOKEN_LENGTH, signCallback, verifyCallback } from './callback-token.js';

const key = callbackKey({ ok: true, key: Buffer.alloc(32, 1), source: 'test' })!;
const ref = { runId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', nodeId: 'paid', visit: 1, expiresAt: 1_800_000_000_000 };

describe('callback tokens', () => {
  it('round-trip; the key is derived (not the credentials key itself) and absent without one', () => {
    expect(verifyCallback(key, signCallback(key, ref))).toEqual(ref);
    expect(key.equals(Buffer.alloc(32, 1))).toBe(false);
    expect(callbackKey({ ok: false, reason: 'no key' })).toBeUndefined();
    expect(callbackUrlSigner(key, () => 'https://cairn.example/base/')(ref)).toBe(`https://cairn.example/base/callbacks/${signCallback(key, ref)}`);
  });

  it.each([
    ['another key', (token: string) => signCallback(callbackKey({ ok: true, key: Buffer.alloc(32, 2), source: 'x' })!, ref) || token],
    ['another run', (token: string) => `${Buffer.from(JSON.stringify(['other', 'paid', 1, ref.expiresAt])).toString('base64url')}.${token.split('.')[1]}`],
    ['a changed signature', (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`],
    ['no signature', (token: string) => token.split('.')[0]],
    ['too long', () => `${'A'.repeat(MAX_TOKEN_LENGTH)}.${'A'.repeat(43)}`],
    ['not base64url', () => 'a b.c'],
    ['empty', () => ''],
  ])('refuses %s', (_what, change) => {
    expect(() => verifyCallback(key, change(signCallback(key, ref)))).toThrow(CallbackTokenError);
  });

  it('refuses a validly signed payload of the wrong shape', () => {
    const payload = Buffer.from(JSON.stringify({ runId: 'r' })).toString('base64url');
    const signature = signCallback(key, ref).split('.')[1];
    expect(() => verifyCallback(key, `${payload}.${signature}`)).toThrow(/signature does not match/);
  });
});
