// AES-256-GCM (node:crypto) for credential values at rest: a random 96-bit IV per write, the tag
// checked on read, and the credential's name as additional data, so a ciphertext copied onto another
// credential's row does not decrypt. Stored as "v1.<iv>.<tag>.<ciphertext>" in base64url.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { credentialValueSchema, type CredentialValue } from '../../shared/credential-kinds.js';

const VERSION = 'v1';

export function encryptCredential(key: Buffer, name: string, value: CredentialValue): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function decryptCredential(key: Buffer, name: string, stored: string): CredentialValue {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error(`credential "${name}" is stored in a form this version cannot read`);
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    text = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    // No detail from the cipher: it says nothing useful, and nothing secret may leak through it.
    throw new Error(`credential "${name}" cannot be decrypted: the key (CAIRN_SECRET_KEY or the key file) is not the one it was stored with`);
  }
  return credentialValueSchema.parse(JSON.parse(text));
}
