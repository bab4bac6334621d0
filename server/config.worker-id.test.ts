// CAIRN_WORKER_ID (issue 12): the default is unique to each process — the host name alone was shared
// by every process on a host, and they took each other's runs — and a bad value stops start-up.
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultWorkerId, loadConfig } from './config.js';

describe('CAIRN_WORKER_ID', () => {
  it('defaults to the host name, this process id and a random part: never the same twice', () => {
    const ids = Array.from({ length: 50 }, () => loadConfig({}).CAIRN_WORKER_ID);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[\w.:-]{1,100}$/);
      expect(id).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{6}$`));
      expect(id.startsWith(hostname().replace(/[^\w.-]+/g, '-').slice(0, 60))).toBe(true);
    }
    // An empty variable is an unset one (`CAIRN_WORKER_ID= cairn start`).
    expect(loadConfig({ CAIRN_WORKER_ID: '' }).CAIRN_WORKER_ID).toMatch(new RegExp(`-${process.pid}-`));
    expect(defaultWorkerId()).not.toBe(defaultWorkerId());
  });

  it('keeps an explicit id as it is', () => {
    expect(loadConfig({ CAIRN_WORKER_ID: 'worker-1' }).CAIRN_WORKER_ID).toBe('worker-1');
    expect(loadConfig({ CAIRN_WORKER_ID: 'a.b:c_d-e' }).CAIRN_WORKER_ID).toBe('a.b:c_d-e');
    expect(loadConfig({ CAIRN_WORKER_ID: 'x'.repeat(100) }).CAIRN_WORKER_ID).toBe('x'.repeat(100));
  });

  it.each([
    ['spaces', 'has spaces'],
    ['a newline', 'worker\nother'],
    ['quotes and SQL', "w'; DROP TABLE instances; --"],
    ['non-ASCII letters', 'wörker'],
    ['101 characters', 'x'.repeat(101)],
    ['a slash', '../worker'],
  ])('refuses %s, naming the variable', (_what, value) => {
    expect(() => loadConfig({ CAIRN_WORKER_ID: value })).toThrow(ConfigError);
    expect(() => loadConfig({ CAIRN_WORKER_ID: value })).toThrow(/CAIRN_WORKER_ID: letters, digits, dots, colons, dashes or underscores/);
  });
});
