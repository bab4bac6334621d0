// The credentials key (AES-256): CAIRN_SECRET_KEY (32 bytes as hex or base64), or on SQLite a key file
// beside the database, created on first start with mode 0600. Losing it loses every credential; the
// README says to back it up. On PostgreSQL several processes share the credentials, so they must
// share the key: only CAIRN_SECRET_KEY will do, and without it credentials are unavailable.
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { dialectOf } from '../db/engine-database.js';
import { sqlitePath } from '../db/sqlite/open.js';

export type SecretKey = { ok: true; key: Buffer; source: string } | { ok: false; reason: string };

export class SecretKeyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretKeyError';
  }
}

const KEY_BYTES = 32;

/** 64 hex digits or base64 (standard or URL-safe) of 32 bytes; the message never repeats the value. */
export function parseSecretKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]+$/.test(trimmed) && trimmed.length === KEY_BYTES * 2 ? Buffer.from(trimmed, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
  if (!key) throw new SecretKeyError(`${where} is not hex or base64: give 32 random bytes, e.g. \`openssl rand -base64 32\``);
  if (key.length !== KEY_BYTES) throw new SecretKeyError(`${where} decodes to ${key.length} bytes, not ${KEY_BYTES}: give 32 random bytes, e.g. \`openssl rand -base64 32\``);
  return key;
}

/** Where the key file of a SQLite database lives: beside it, named after it. */
export function keyFilePath(databaseUrl: string): string | undefined {
  if (dialectOf(databaseUrl) !== 'sqlite') return undefined;
  const file = sqlitePath(databaseUrl);
  return file === ':memory:' ? undefined : `${path.resolve(file)}.key`;
}

function readOrCreateKeyFile(file: string): Buffer {
  try {
    // The key is read before the database is opened, and a first start may name a folder that does
    // not exist yet (the opener would create it a moment later).
    mkdirSync(path.dirname(file), { recursive: true });
    // 'wx': only if absent, so two starts never write two keys.
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new SecretKeyError(`cannot create the credentials key file ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseSecretKey(readFileSync(file, 'utf8'), `the credentials key file ${file}`);
}

export function loadSecretKey(options: { secretKey?: string; databaseUrl: string }): SecretKey {
  if (options.secretKey !== undefined && options.secretKey !== '') return { ok: true, key: parseSecretKey(options.secretKey, 'CAIRN_SECRET_KEY'), source: 'CAIRN_SECRET_KEY' };
  const file = keyFilePath(options.databaseUrl);
  if (!file) {
    return { ok: false, reason: 'credentials need CAIRN_SECRET_KEY on this database (every process that shares a PostgreSQL database needs the same key)' };
  }
  try {
    return { ok: true, key: readOrCreateKeyFile(file), source: file };
  } catch (error) {
    // A folder this process may not write to: the database opener names that problem next, and
    // says it better; credentials stay unavailable with the reason, as without a key.
    const code = ((error as SecretKeyError).cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') return { ok: false, reason: (error as Error).message };
    throw error;
  }
}
