// The egress policy for outgoing HTTP from actions (DESIGN §3 "Containment"): which addresses an
// action may reach. Loopback, private, link-local, unspecified, multicast, broadcast and reserved
// addresses are refused unless CAIRN_HTTP_ALLOW names the host, the address or a CIDR holding it.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { NonRetryableError } from '../engine/errors.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** What a refused address is, in words an operator knows. */
export type RefusedClass = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'broadcast' | 'carrier-grade NAT' | 'reserved';

// ipaddr.js range names → the class we refuse them as. Ranges not listed here ('unicast', and
// public anycast such as AS112 and AMT) are reachable.
const REFUSED_RANGES: Record<string, RefusedClass> = {
  loopback: 'loopback',
  private: 'private',
  uniqueLocal: 'private',
  deprecatedSiteLocal: 'private',
  linkLocal: 'link-local',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
  carrierGradeNat: 'carrier-grade NAT',
  reserved: 'reserved',
  discard: 'reserved',
  benchmarking: 'reserved',
  teredo: 'reserved',
  deprecatedOrchid: 'reserved',
  orchid2: 'reserved',
  droneRemoteIdProtocolEntityTags: 'reserved',
};
const REACHABLE_RANGES = new Set(['unicast', 'as112', 'amt', 'as112v6']);

export class EgressRefusedError extends NonRetryableError {
  constructor(message: string) {
    super(message, { code: 'EGRESS_REFUSED' });
    this.name = 'EgressRefusedError';
  }
}

/**
 * The IPv4 address an IPv6 address carries, where the network would deliver it as IPv4:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (RFC 6145), NAT64 (64:ff9b::/96) and 6to4
 * (2002:aabb:ccdd::). Judged as that IPv4, so `::ffff:127.0.0.1` is loopback.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = address.parts;
  const low = (high: number, lowPart: number) => new ipaddr.IPv4([high >> 8, high & 0xff, lowPart >> 8, lowPart & 0xff]);
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  if (address.match(ipaddr.IPv6.parse('::ffff:0:0:0'), 96)) return low(parts[6]!, parts[7]!);
  if (address.match(ipaddr.IPv6.parse('64:ff9b::'), 96)) return low(parts[6]!, parts[7]!);
  if (address.match(ipaddr.IPv6.parse('2002::'), 16)) return low(parts[1]!, parts[2]!);
  return undefined;
}

/** The address as the network will treat it (embedded IPv4 unwrapped). */
function effective(address: Address): Address {
  return address.kind() === 'ipv6' ? (embeddedIPv4(address as ipaddr.IPv6) ?? address) : address;
}

/** Why `address` (a literal IP) is refused by default, or undefined when it is a public address. */
export function refusedClass(address: string): RefusedClass | undefined {
  const ip = effective(ipaddr.parse(address));
  const range = ip.range();
  if (REACHABLE_RANGES.has(range)) {
    // IPv4-compatible ::a.b.c.d (deprecated) and the rest of ::/96 reach nothing public.
    if (ip.kind() === 'ipv6' && ip.match(ipaddr.IPv6.parse('::'), 96)) return 'reserved';
    return undefined;
  }
  if (range === 'rfc6052') return 'private'; // 64:ff9b:1::/48, NAT64 for local use (RFC 8215)
  return REFUSED_RANGES[range] ?? 'reserved';
}

/** A host name as the URL parser gives it: lower case, no trailing dot. */
function normalHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A DNS name the URL parser would keep as a name (a last label of digits would make it an IPv4). */
function isHostName(entry: string): boolean {
  const labels = entry.split('.');
  return entry.length <= 253 && labels.every((label) => LABEL.test(label)) && !/^[0-9]+$/.test(labels.at(-1)!) && !/^0x/i.test(labels.at(-1)!);
}

export interface EgressPolicy {
  /** The entries of the allow-list, as given (for messages and logs). */
  readonly allow: readonly string[];
  /**
   * Throws EgressRefusedError when `address` (what `host` resolved to, or the host itself when it
   * is a literal IP) may not be reached.
   */
  check(host: string, address: string): void;
}

/**
 * Parse CAIRN_HTTP_ALLOW: comma-separated host names, IPs and CIDRs. A bad entry throws an Error
 * naming it. A host entry opens that name whatever it resolves to; an IP or CIDR opens addresses.
 */
export function parseAllowList(value: string | readonly string[] = []): EgressPolicy {
  const entries = (typeof value === 'string' ? value.split(',') : value).map((entry) => entry.trim()).filter((entry) => entry !== '');
  const hosts = new Set<string>();
  const ranges: [Address, number][] = [];
  for (const entry of entries) {
    const bare = entry.replace(/^\[(.*)\]$/, '$1');
    if (isIP(bare)) {
      const ip = effective(ipaddr.parse(bare));
      ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else if (entry.includes('/') && isIP(entry.slice(0, entry.indexOf('/')))) {
      let cidr: [Address, number];
      try {
        cidr = ipaddr.parseCIDR(entry);
      } catch {
        throw new Error(`"${entry}" is not a valid CIDR (e.g. 10.0.0.0/8 or fd00::/8)`);
      }
      const [ip, bits] = cidr;
      // ::ffff:0:0/104 names IPv4 addresses; keep it as the IPv4 range the checks compare with.
      if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) ranges.push([(ip as ipaddr.IPv6).toIPv4Address(), bits - 96]);
      else ranges.push(cidr);
    } else if (isHostName(normalHost(entry))) {
      hosts.add(normalHost(entry));
    } else {
      throw new Error(`"${entry}" is not a host name, an IP address or a CIDR (e.g. api.internal, 127.0.0.1, 10.0.0.0/8)`);
    }
  }
  return {
    allow: entries,
    check(host, address) {
      const name = normalHost(host.replace(/^\[(.*)\]$/, '$1'));
      if (hosts.has(name)) return;
      if (!isIP(address)) throw new EgressRefusedError(`egress refused: "${address}" is not an IP address`);
      const ip = effective(ipaddr.parse(address));
      if (ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits))) return;
      const refused = refusedClass(address);
      if (!refused) return;
      const shown = ip.toString() === address ? address : `${address} (${ip.toString()})`;
      const what = name === address || isIP(name) ? `${shown} is` : `"${name}" resolves to ${shown},`;
      throw new EgressRefusedError(`egress refused: ${what} ${/^[aeiou]/.test(refused) ? 'an' : 'a'} ${refused} address; to allow it, add it to CAIRN_HTTP_ALLOW`);
    },
  };
}

/** The policy production gets when CAIRN_HTTP_ALLOW is not set: every refused class refused. */
export const defaultEgressPolicy = (): EgressPolicy => parseAllowList([]);
