// Values found in an action's output, error or log lines that equal a credential it resolved are
// replaced by [redacted] before anything is checkpointed or logged (DESIGN §6). Each secret is also
// looked for in the forms it is sent in: Basic auth's base64, and percent-encoded in a URL.
import type { CredentialValue } from '../../shared/credential-kinds.js';

export const REDACTED = '[redacted]';
/** Shorter values are not hunted for: a 3-character "secret" would blank out ordinary words. */
const MIN_SECRET_CHARS = 4;

/** The strings of a credential worth redacting, in the forms they travel in. */
export function secretForms(value: CredentialValue): string[] {
  const raw: string[] = [];
  if (value.kind === 'bearer') raw.push(value.token);
  else if (value.kind === 'basic') raw.push(value.password, Buffer.from(`${value.username}:${value.password}`).toString('base64'));
  else if (value.kind === 'header' || value.kind === 'query') raw.push(value.value);
  else raw.push(...Object.values(value.fields));
  const forms = raw.flatMap((text) => [text, encodeURIComponent(text), new URLSearchParams({ v: text }).toString().slice(2)]);
  return [...new Set(forms)].filter((text) => text.length >= MIN_SECRET_CHARS).sort((a, b) => b.length - a.length);
}

export class Redactor {
  // Made on the first secret: most redactors (one per action attempt) never get one.
  private secrets?: Set<string>;

  add(value: CredentialValue): void {
    for (const form of secretForms(value)) (this.secrets ??= new Set()).add(form);
  }

  get active(): boolean {
    return this.secrets !== undefined && this.secrets.size > 0;
  }

  text(text: string): string {
    if (!this.secrets) return text;
    let result = text;
    for (const secret of this.secrets) if (result.includes(secret)) result = result.replaceAll(secret, REDACTED);
    return result;
  }

  /** A copy of a JSON value with every string (keys too) redacted. */
  value<T>(value: T): T {
    if (!this.active) return value;
    const walk = (item: unknown): unknown => {
      if (typeof item === 'string') return this.text(item);
      if (Array.isArray(item)) return item.map(walk);
      if (item && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, entry]) => [this.text(key), walk(entry)]));
      return item;
    };
    return walk(value) as T;
  }
}
