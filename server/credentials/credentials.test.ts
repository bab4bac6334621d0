// The credentials' building blocks: the key (from CAIRN_SECRET_KEY or a 0600 key file), AES-256-GCM
// round trips bound to the name, and redaction of every form a secret travels in.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchRoot } from '../testing/harness.js';
import { decryptCredential, encryptCredential } from './credential-crypto.js';
import { credentialsNamedIn } from './credential-usage.js';
import { Redactor } from './redact.js';
import { keyFilePath, loadSecretKey, parseSecretKey } from './secret-key.js';

const dir = mkdtempSync(path.join(scratchRoot(), 'cairn-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = Buffer.alloc(32, 3);

describe('the credentials key', () => {
  it('takes 32 bytes as hex or base64 (standard or URL-safe)', () => {
    expect(parseSecretKey('ab'.repeat(32), 'K')).toEqual(Buffer.alloc(32, 0xab));
    expect(parseSecretKey(Buffer.alloc(32, 9).toString('base64'), 'K')).toEqual(Buffer.alloc(32, 9));
    expect(parseSecretKey(Buffer.alloc(32, 250).toString('base64url'), 'K')).toEqual(Buffer.alloc(32, 250));
  });

  it('refuses anything else, naming where it came from and never repeating it', () => {
    for (const [text, message] of [
      ['correct horse battery staple', /K is not hex or base64/],
      ['ab'.repeat(16), /K decodes to 24 bytes, not 32/],
      [Buffer.alloc(64).toString('base64'), /K decodes to 64 bytes, not 32/],
      ['', /K is not hex or base64/],
    ] as const) {
      expect(() => parseSecretKey(text, 'K')).toThrow(message);
      try {
        parseSecretKey(text, 'K');
      } catch (error) {
        if (text) expect((error as Error).message).not.toContain(text);
      }
    }
  });

  it('creates a key file beside a SQLite database with mode 0600 on first start, and reads it after', () => {
    const url = `file:${path.join(dir, 'cairn.db')}`;
    const first = loadSecretKey({ databaseUrl: url });
    expect(first).toMatchObject({ ok: true, source: path.join(dir, 'cairn.db.key') });
    expect(statSync(path.join(dir, 'cairn.db.key')).mode & 0o777).toBe(0o600);
    const second = loadSecretKey({ databaseUrl: url });
    expect(second.ok && first.ok && second.key.equals(first.key)).toBe(true);
    // CAIRN_SECRET_KEY wins over the file.
    expect(loadSecretKey({ databaseUrl: url, secretKey: 'cd'.repeat(32) })).toMatchObject({ ok: true, source: 'CAIRN_SECRET_KEY' });
  });

  it('refuses a damaged key file, and on PostgreSQL needs CAIRN_SECRET_KEY', () => {
    const url = `file:${path.join(dir, 'damaged.db')}`;
    writeFileSync(keyFilePath(url)!, 'not a key\n');
    expect(() => loadSecretKey({ databaseUrl: url })).toThrow(/damaged\.db\.key is not hex or base64/);
    expect(loadSecretKey({ databaseUrl: 'postgresql://db/cairn' })).toMatchObject({ ok: false, reason: expect.stringMatching(/CAIRN_SECRET_KEY/) });
    expect(loadSecretKey({ databaseUrl: 'postgresql://db/cairn', secretKey: 'cd'.repeat(32) })).toMatchObject({ ok: true });
  });
});

describe('AES-256-GCM at rest', () => {
  const value = { kind: 'bearer' as const, token: 'tok_1234567890' };

  it('round-trips, with a new IV each time and no plain text in the stored form', () => {
    const one = encryptCredential(key, 'stripe', value);
    const two = encryptCredential(key, 'stripe', value);
    expect(one).not.toBe(two);
    expect(one).toMatch(/^v1\./);
    expect(one).not.toContain('tok_1234567890');
    expect(Buffer.from(one.split('.')[3]!, 'base64url').toString('latin1')).not.toContain('tok_');
    expect(decryptCredential(key, 'stripe', one)).toEqual(value);
  });

  it('does not decrypt with another key, under another name, or tampered', () => {
    const stored = encryptCredential(key, 'stripe', value);
    expect(() => decryptCredential(Buffer.alloc(32, 4), 'stripe', stored)).toThrow(/not the one it was stored with/);
    expect(() => decryptCredential(key, 'github', stored)).toThrow(/cannot be decrypted/);
    const [version, iv, tag, ciphertext] = stored.split('.');
    const flipped = Buffer.from(ciphertext!, 'base64url');
    flipped[0] ^= 1;
    expect(() => decryptCredential(key, 'stripe', [version, iv, tag, flipped.toString('base64url')].join('.'))).toThrow(/cannot be decrypted/);
    expect(() => decryptCredential(key, 'stripe', 'plain text')).toThrow(/cannot read/);
  });
});

describe('redaction', () => {
  it('replaces each secret, its Basic-auth and URL-encoded forms, in nested values and keys', () => {
    const redactor = new Redactor();
    redactor.add({ kind: 'basic', username: 'ann', password: 'p@ss word!' });
    redactor.add({ kind: 'fields', fields: { a: 'abc', long: 'field-secret-1' } });
    const basic = Buffer.from('ann:p@ss word!').toString('base64');
    const redacted = redactor.value({ header: `Basic ${basic}`, url: '/x?pw=p%40ss%20word!', list: ['p@ss word!', 'field-secret-1 seen'], ['field-secret-1']: 1, short: 'abc' });
    expect(JSON.stringify(redacted)).not.toMatch(/p@ss|p%40ss|field-secret|YW5u/);
    expect(redacted).toMatchObject({ header: 'Basic [redacted]', list: ['[redacted]', '[redacted] seen'], '[redacted]': 1, short: 'abc' });
  });
});

describe('where a graph names credentials', () => {
  it('finds `credential` fields in steps and their compensations, not elsewhere', () => {
    const graph = JSON.parse(readFileSync(new URL('../../examples/payment-retry.json', import.meta.url), 'utf8'));
    graph.nodes.push(
      { id: 'x', kind: 'step', config: { action: 'http.request', input: { url: 'https://a', credential: 'stripe' }, compensate: { action: 'http.request', input: { url: 'https://b', nested: { credential: 'refunds' } } } } },
      { id: 'y', kind: 'end', config: { output: { credential: 'not-a-step' } } },
    );
    expect([...credentialsNamedIn(graph)].sort()).toEqual(['refunds', 'stripe']);
    expect(credentialsNamedIn(null).size).toBe(0);
  });
});
