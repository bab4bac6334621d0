// Webhook secrets: made random, shown once, and stored AES-256-GCM-encrypted under the credentials
// key (server/credentials/secret-key.ts) with the trigger's id as additional data. Not a hash: an
// HMAC signature is checked by computing it, which needs the secret itself.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(24).toString('base64url')}`;
}

export function encryptWebhookSecret(key: Buffer, triggerId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`trigger:${triggerId}`));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'))].join('.');
}

export function decryptWebhookSecret(key: Buffer, triggerId: string, stored: string): string {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error(`the secret of webhook ${triggerId} is stored in a form this version cannot read`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`trigger:${triggerId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(`the secret of webhook ${triggerId} cannot be decrypted: the key (CAIRN_SECRET_KEY or the key file) is not the one it was stored with`);
  }
}
