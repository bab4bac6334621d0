// Signed links to decide an approval task from an e-mail: `<base>/decisions/<token>`, where the token
// is the task, the person, the decision and an expiry, with an HMAC-SHA256 of them — the approach of
// callback URLs (server/callbacks/callback-token.ts) under a key of its own, derived (HKDF-SHA256,
// another label) from the credentials key. A link never decides by itself: a GET shows what it would
// do, a POST decides as its person through the one rule. It is single-use because each person
// decides a task once (the stores refuse a second decision).
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { SecretKey } from '../credentials/secret-key.js';

export interface DecisionLink {
  taskId: string;
  user: string;
  decision: 'approve' | 'reject';
  /** Epoch ms after which the link is refused. */
  expiresAt: number;
}

/** Longer tokens are refused before anything is decoded. */
export const MAX_LINK_TOKEN_LENGTH = 1_500;
const LABEL = 'cairn approval decision links v1';

export class DecisionLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecisionLinkError';
  }
}

/** The link key, or undefined when the process has no credentials key (then no links are made or taken). */
export function decisionLinkKey(secret: SecretKey): Buffer | undefined {
  return secret.ok ? Buffer.from(hkdfSync('sha256', secret.key, Buffer.alloc(0), LABEL, 32)) : undefined;
}

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest();

export function signDecisionLink(key: Buffer, link: DecisionLink): string {
  const payload = Buffer.from(JSON.stringify([link.taskId, link.user, link.decision, link.expiresAt])).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** What a token stands for; throws DecisionLinkError when it is malformed or not signed by this key. */
export function verifyDecisionLink(key: Buffer, token: string): DecisionLink {
  if (token.length > MAX_LINK_TOKEN_LENGTH) throw new DecisionLinkError(`the link is longer than ${MAX_LINK_TOKEN_LENGTH} characters`);
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) throw new DecisionLinkError('the link is malformed (it may have been cut short: copy the whole address from the e-mail)');
  const [, payload, signature] = match;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload);
  // Checked before the payload is read: nothing of a forged link is trusted, not even its shape.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new DecisionLinkError('the link\'s signature does not match: it was changed or not made by this server');
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new DecisionLinkError('the link is malformed');
  }
  if (!Array.isArray(fields) || fields.length !== 4) throw new DecisionLinkError('the link is malformed');
  const [taskId, user, decision, expiresAt] = fields as unknown[];
  if (typeof taskId !== 'string' || typeof user !== 'string' || (decision !== 'approve' && decision !== 'reject') || !Number.isInteger(expiresAt)) {
    throw new DecisionLinkError('the link is malformed');
  }
  return { taskId, user, decision, expiresAt: expiresAt as number };
}
