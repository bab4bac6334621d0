// Random secrets for session cookies, CSRF tokens and API tokens; only their sha256 is stored.
import { createHash, randomBytes } from 'node:crypto';

export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
