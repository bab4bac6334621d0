// How the action runner resolves a credential by name when an action runs (never before, never
// stored): one row read, decrypted with the process's key. Both `cairn start` and `cairn worker` build
// one from their engine database; without a key it explains why credentials are unavailable.
import type { CredentialValue } from '../../shared/credential-kinds.js';
import { NonRetryableError } from '../engine/errors.js';
import { decryptCredential } from './credential-crypto.js';
import type { SecretKey } from './secret-key.js';

export interface CredentialSource {
  /** The credential's value; a NonRetryableError naming it when it does not exist or cannot be read. */
  resolve(name: string): Promise<CredentialValue>;
}

/** Reads the stored ciphertext of one credential; undefined when there is none by that name. */
export type ReadSecret = (name: string) => Promise<string | undefined>;

export function createCredentialSource(key: SecretKey, read: ReadSecret): CredentialSource {
  return {
    async resolve(name) {
      if (!key.ok) throw new NonRetryableError(`credential "${name}" cannot be used: ${key.reason}`, { code: 'CREDENTIALS_UNAVAILABLE' });
      const stored = typeof name === 'string' && name.length <= 200 ? await read(name) : undefined;
      if (stored === undefined || stored === null) {
        throw new NonRetryableError(`no credential named "${String(name).slice(0, 100)}": an admin adds it in Settings → Credentials (or POST /api/v1/credentials)`, { code: 'CREDENTIAL_NOT_FOUND' });
      }
      try {
        return decryptCredential(key.key, name, stored);
      } catch (error) {
        throw new NonRetryableError((error as Error).message, { code: 'CREDENTIAL_UNREADABLE' });
      }
    },
  };
}

/** The credentials of a process with no database to read them from (tests, `cairn run` without one). */
export const noCredentials: CredentialSource = {
  async resolve(name) {
    throw new NonRetryableError(`credential "${String(name).slice(0, 100)}" cannot be used: this process has no credentials store`, { code: 'CREDENTIALS_UNAVAILABLE' });
  },
};
