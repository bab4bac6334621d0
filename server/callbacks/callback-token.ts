// Signed callback URLs (DESIGN §6): `<base>/callbacks/<token>`, where the token is the reference
// (run, event node, visit, expiry) and an HMAC-SHA256 of it. The HMAC key is derived (HKDF-SHA256,
// its own label) from the credentials key, so one secret (CAIRN_SECRET_KEY or the key file) serves
// both, a leaked callback key reveals nothing of the credentials key, and every process that shares
// the credentials key signs and verifies alike.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { SecretKey } from '../credentials/secret-key.js';
import type { CallbackRef } from '../engine/core/callbacks.js';

export type { CallbackRef };

/** Longer tokens are refused before anything is decoded. */
export const MAX_TOKEN_LENGTH = 1_000;
const LABEL = 'cairn callback URLs v1';

export class CallbackTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallbackTokenError';
  }
}

/** The callback key, or undefined when the process has no credentials key (PostgreSQL without CAIRN_SECRET_KEY). */
export function callbackKey(secret: SecretKey): Buffer | undefined {
  return secret.ok ? Buffer.from(hkdfSync('sha256', secret.key, Buffer.alloc(0), LABEL, 32)) : undefined;
}

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest();

export function signCallback(key: Buffer, ref: CallbackRef): string {
  const payload = Buffer.from(JSON.stringify([ref.runId, ref.nodeId, ref.visit, ref.expiresAt])).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The reference a token stands for; throws CallbackTokenError when it is malformed or its signature does not match. */
export function verifyCallback(key: Buffer, token: string): CallbackRef {
  if (token.length > MAX_TOKEN_LENGTH) throw new CallbackTokenError(`the callback token is longer than ${MAX_TOKEN_LENGTH} characters`);
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) throw new CallbackTokenError('the callback token is malformed');
  const [, payload, signature] = match;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload);
  // Checked before the payload is read: nothing of a forged token is trusted, not even its shape.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new CallbackTokenError('the callback token\'s signature does not match');
  const fields: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  if (!Array.isArray(fields) || fields.length !== 4) throw new CallbackTokenError('the callback token is malformed');
  const [runId, nodeId, visit, expiresAt] = fields as unknown[];
  if (typeof runId !== 'string' || typeof nodeId !== 'string' || !Number.isInteger(visit) || !Number.isInteger(expiresAt)) {
    throw new CallbackTokenError('the callback token is malformed');
  }
  return { runId, nodeId, visit: visit as number, expiresAt: expiresAt as number };
}

/** What the engine's RunContext gets: a reference in, its URL out (pure: same reference, same URL). */
export function callbackUrlSigner(key: Buffer, baseUrl: () => string): (ref: CallbackRef) => string {
  return (ref) => `${baseUrl().replace(/\/+$/, '')}/callbacks/${signCallback(key, ref)}`;
}
