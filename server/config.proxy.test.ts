// CAIRN_PUBLIC_URL and CAIRN_TRUST_PROXY: what start-up accepts, and refusals that name the variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const refusal = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return undefined;
};

describe('CAIRN_PUBLIC_URL and CAIRN_TRUST_PROXY', () => {
  it('accept an http(s) URL and proxies given as IPs, CIDRs or proxy-addr names', () => {
    const config = loadConfig({ CAIRN_PUBLIC_URL: 'https://cairn.example.com', CAIRN_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8,loopback' });
    expect(config.CAIRN_PUBLIC_URL).toBe('https://cairn.example.com');
    expect(config.CAIRN_TRUST_PROXY).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', 'loopback']);
    expect(loadConfig({}).CAIRN_TRUST_PROXY).toBeUndefined();
  });

  it.each([
    [{ CAIRN_PUBLIC_URL: 'cairn.example.com' }, /CAIRN_PUBLIC_URL: must be an http:\/\/ or https:\/\/ URL/],
    [{ CAIRN_PUBLIC_URL: 'javascript:alert(1)' }, /CAIRN_PUBLIC_URL/],
    [{ CAIRN_TRUST_PROXY: 'true' }, /CAIRN_TRUST_PROXY: comma-separated IPs or CIDRs/],
    [{ CAIRN_TRUST_PROXY: '10.0.0.0/33' }, /CAIRN_TRUST_PROXY/],
    [{ CAIRN_TRUST_PROXY: '10.0.0.0/8/1' }, /CAIRN_TRUST_PROXY/],
    [{ CAIRN_TRUST_PROXY: 'proxy.internal' }, /CAIRN_TRUST_PROXY/],
  ])('refuse %o naming the variable', (env, message) => {
    expect(refusal(env)).toMatch(message);
  });
});
