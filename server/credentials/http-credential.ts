// How http.request sends a stored credential: a bearer token or Basic auth as Authorization, a named
// header, or a query parameter. A free-form credential is for team actions, not for this.
import type { Headers } from 'undici';
import type { CredentialValue } from '../../shared/credential-kinds.js';
import { NonRetryableError } from '../engine/errors.js';

/** Sets the credential on `headers` (in place) and returns the URL to request. */
export function applyHttpCredential(credential: CredentialValue, name: string, headers: Headers, url: string): string {
  switch (credential.kind) {
    case 'bearer':
      headers.set('Authorization', `Bearer ${credential.token}`);
      return url;
    case 'basic':
      headers.set('Authorization', `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`);
      return url;
    case 'header':
      headers.set(credential.name, credential.value);
      return url;
    case 'query': {
      const target = new URL(url);
      target.searchParams.set(credential.name, credential.value);
      return target.href;
    }
    default:
      throw new NonRetryableError(`credential "${name}" holds free-form fields, which http.request cannot send: use a bearer, basic, header or query credential`, { code: 'CREDENTIAL_KIND' });
  }
}
