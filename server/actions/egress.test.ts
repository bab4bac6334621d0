// The egress policy without the network: which address classes are refused, how CAIRN_HTTP_ALLOW is
// read (and refused at start-up when it is wrong), and what a refusal says.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { EgressRefusedError, parseAllowList, refusedClass } from './egress.js';

describe('refusedClass', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.10.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    // IPv6 forms that carry an IPv4 address are judged as that IPv4.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:a00:1::1', 'private'],
    ['::7f00:1', 'reserved'],
  ])('%s is refused as %s', (address, expected) => {
    expect(refusedClass(address)).toBe(expected);
  });

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('%s is a public address', (address) => {
    expect(refusedClass(address)).toBeUndefined();
  });
});

function refusal(check: () => void): EgressRefusedError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(EgressRefusedError);
    return error as EgressRefusedError;
  }
  throw new Error('expected a refusal');
}

describe('the default policy', () => {
  const policy = parseAllowList([]);

  it('names the host, the address, its class and the variable, and is not retryable', () => {
    const error = refusal(() => policy.check('metadata.internal', '169.254.169.254'));
    expect(error).toMatchObject({ code: 'EGRESS_REFUSED', retryable: false });
    expect(error.message).toBe('egress refused: "metadata.internal" resolves to 169.254.169.254, a link-local address; to allow it, add it to CAIRN_HTTP_ALLOW');
    expect(refusal(() => policy.check('127.0.0.1', '127.0.0.1')).message).toBe('egress refused: 127.0.0.1 is a loopback address; to allow it, add it to CAIRN_HTTP_ALLOW');
    expect(refusal(() => policy.check('[::ffff:7f00:1]', '::ffff:7f00:1')).message).toContain('::ffff:7f00:1 (127.0.0.1) is a loopback address');
    expect(refusal(() => policy.check('0.0.0.0', '0.0.0.0')).message).toContain('an unspecified address');
  });

  it('lets public addresses through and refuses what is not an address', () => {
    expect(() => policy.check('example.com', '93.184.216.34')).not.toThrow();
    expect(refusal(() => policy.check('example.com', 'example.com')).message).toContain('is not an IP address');
  });
});

describe('CAIRN_HTTP_ALLOW', () => {
  it('opens exactly the IPs it names, in either notation', () => {
    const policy = parseAllowList('127.0.0.1, [::1]');
    expect(() => policy.check('127.0.0.1', '127.0.0.1')).not.toThrow();
    expect(() => policy.check('[::ffff:7f00:1]', '::ffff:7f00:1')).not.toThrow();
    expect(() => policy.check('::1', '::1')).not.toThrow();
    refusal(() => policy.check('127.0.0.2', '127.0.0.2'));
    refusal(() => policy.check('10.0.0.1', '10.0.0.1'));
  });

  it('opens a CIDR, and nothing outside it', () => {
    const policy = parseAllowList('10.0.0.0/8,fd00::/8,::ffff:192.168.1.0/120');
    expect(() => policy.check('db.internal', '10.200.3.4')).not.toThrow();
    expect(() => policy.check('fd00::5', 'fd00::5')).not.toThrow();
    expect(() => policy.check('192.168.1.9', '192.168.1.9')).not.toThrow();
    refusal(() => policy.check('192.168.2.1', '192.168.2.1'));
    refusal(() => policy.check('fc00::5', 'fc00::5'));
    refusal(() => policy.check('172.16.0.1', '172.16.0.1'));
  });

  it('opens a host name whatever it resolves to, and only that name', () => {
    const policy = parseAllowList(['API.Internal.']);
    expect(() => policy.check('api.internal', '10.0.0.7')).not.toThrow();
    expect(() => policy.check('api.internal.', '10.0.0.7')).not.toThrow();
    expect(refusal(() => policy.check('other.internal', '10.0.0.7')).message).toContain('"other.internal" resolves to 10.0.0.7');
    refusal(() => policy.check('10.0.0.7', '10.0.0.7'));
  });

  it.each([
    ['foo bar', 'is not a host name'],
    ['http://api.internal', 'is not a host name'],
    ['api.internal:8080', 'is not a host name'],
    ['*.internal', 'is not a host name'],
    ['a..b', 'is not a host name'],
    ['-bad.example', 'is not a host name'],
    ['127.1', 'is not a host name'],
    ['0x7f000001', 'is not a host name'],
    ['x'.repeat(64) + '.example', 'is not a host name'],
    ['10.0.0.0/33', 'is not a valid CIDR'],
    ['10.0.0.0/', 'is not a valid CIDR'],
    ['::1/129', 'is not a valid CIDR'],
    ['300.1.1.1', 'is not a host name'],
  ])('refuses the entry %j', (entry, problem) => {
    expect(() => parseAllowList(['127.0.0.1', entry])).toThrow(`"${entry}" ${problem}`);
  });

  it('is read at start-up, and a bad entry stops it naming the variable', () => {
    expect(loadConfig({}).CAIRN_HTTP_ALLOW).toEqual([]);
    expect(loadConfig({ CAIRN_HTTP_ALLOW: ' 127.0.0.1 , 10.0.0.0/8,,api.internal ' }).CAIRN_HTTP_ALLOW).toEqual(['127.0.0.1', '10.0.0.0/8', 'api.internal']);
    let error: unknown;
    try {
      loadConfig({ CAIRN_HTTP_ALLOW: '127.0.0.1,10.0.0.0/40' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^CAIRN_HTTP_ALLOW: "10\.0\.0\.0\/40" is not a valid CIDR/)]);
  });
});
