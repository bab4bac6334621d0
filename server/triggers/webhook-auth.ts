// How a webhook's caller proves itself (README "Triggers"): the trigger's secret as a bearer token,
// or an HMAC-SHA256 signature of the body in the `Cairn-Signature` header, Stripe's scheme:
//   Cairn-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// The timestamp must be within five minutes of the server's clock, so a captured request cannot be
// replayed later. Several v1= values may be sent (any one matching is enough).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'cairn-signature';
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

export type WebhookAuth = { ok: true; by: 'bearer' | 'signature' } | { ok: false; message: string };

export function webhookSignature(secret: string, unixSeconds: number, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.`).update(body).digest('hex');
}

/** The header value a sender sends for `body` at `now` (epoch ms): for tests, the bench and the README's example. */
export function signatureHeader(secret: string, now: number, body: Buffer | string): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${webhookSignature(secret, t, body)}`;
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function parseSignature(header: string): { t: number; v1: string[] } | undefined {
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === 't' && value && /^\d{1,12}$/.test(value)) t = Number(value);
    if (name === 'v1' && value && /^[0-9a-f]{64}$/i.test(value)) v1.push(value.toLowerCase());
  }
  return t === undefined || v1.length === 0 ? undefined : { t, v1 };
}

export function verifyWebhook(request: { secret: string; authorization?: string; signature?: string; body: Buffer; now: number }): WebhookAuth {
  const { secret, authorization, signature } = request;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) return { ok: false, message: 'the Authorization header must be "Bearer <the webhook\'s secret>"' };
    return same(match[1], secret) ? { ok: true, by: 'bearer' } : { ok: false, message: 'the bearer token is not this webhook\'s secret' };
  }
  if (signature === undefined) {
    return { ok: false, message: 'send the webhook\'s secret as Authorization: Bearer <secret>, or sign the body in the Cairn-Signature header (t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">)' };
  }
  const parsed = parseSignature(signature);
  if (!parsed) return { ok: false, message: 'the Cairn-Signature header must be t=<unix seconds>,v1=<64 hex digits>' };
  const skew = Math.abs(request.now - parsed.t * 1000);
  if (skew > SIGNATURE_TOLERANCE_MS) {
    return { ok: false, message: `the Cairn-Signature timestamp is ${Math.round(skew / 1000)} s from the server's clock; at most ${SIGNATURE_TOLERANCE_MS / 1000} s is accepted (a replay, or a clock to fix)` };
  }
  const expected = webhookSignature(secret, parsed.t, request.body);
  return parsed.v1.some((candidate) => same(candidate, expected)) ? { ok: true, by: 'signature' } : { ok: false, message: 'the Cairn-Signature does not match the body signed with this webhook\'s secret' };
}
