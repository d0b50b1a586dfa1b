import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The SSRF guard for webhook deliveries. A tenant chooses the URL, so without it a webhook
 * is a way to make Depot's worker send requests into its own network: the cloud metadata
 * service (169.254.169.254), the database, an admin panel on loopback.
 *
 * Only globally routable unicast addresses are allowed. Everything else, as classified by
 * ipaddr.js, is refused: private (10/8, 172.16/12, 192.168/16), loopback, link-local
 * (169.254/16, fe80::/10, which holds the metadata endpoints), carrier-grade NAT
 * (100.64/10), unique-local IPv6 (fc00::/7), multicast, broadcast, unspecified, reserved
 * and documentation ranges, and IPv4-compatible IPv6 (::/96, deprecated). IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4
 * address it carries, and so are NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses.
 *
 * The check runs inside the `lookup` the socket connects with, on the addresses it is
 * about to connect to, at delivery time. Resolving once to check and again to connect would
 * let a hostname answer a public address to the check and a private one to the connect
 * (DNS rebinding); here there is only one resolution.
 */
export class DestinationRefusedError extends Error {
  readonly code = 'EDESTINATIONREFUSED';

  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(
      host === address
        ? `destination ${address} is in a refused range (${range})`
        : `destination ${host} resolves to ${address}, in a refused range (${range})`,
    );
    this.name = 'DestinationRefusedError';
  }
}

/** Why an address may not be reached (the name of its range), or undefined when it may. */
export function refusedRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'invalid';
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') {
    const range = ip.range();
    return range === 'unicast' ? undefined : range;
  }
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  // ::/96 (IPv4-compatible, deprecated): some stacks still route ::a00:1 to 10.0.0.1.
  if (range === 'unicast' && v6.parts.slice(0, 6).every((part) => part === 0)) return 'ipv4Compatible';
  if (range === 'unicast') return undefined;
  const embedded = embeddedIpv4(v6, range);
  if (embedded) {
    const inner = refusedRange(embedded.toString());
    return inner === undefined ? undefined : `${inner} (${range})`;
  }
  return range;
}

/** The IPv4 address an IPv4-mapped, NAT64 (well-known prefix) or 6to4 address stands for. */
function embeddedIpv4(ip: ipaddr.IPv6, range: string): ipaddr.IPv4 | undefined {
  const [p0, p1, p2, p3, p4, p5, p6, p7] = ip.parts as [number, ...number[]];
  const fromWords = (high: number, low: number) =>
    new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  if (range === 'ipv4Mapped') return ip.toIPv4Address();
  // 64:ff9b::/96 only; the local-use NAT64 prefix 64:ff9b:1::/48 stays refused.
  if (range === 'rfc6052' && p0 === 0x64 && p1 === 0xff9b && !p2 && !p3 && !p4 && !p5)
    return fromWords(p6!, p7!);
  if (range === '6to4') return fromWords(p1!, p2!);
  return undefined;
}

export interface DestinationPolicy {
  /** Allow every address (development and test only). */
  allowPrivateNetworks: boolean;
}

type Resolver = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/**
 * A `lookup` for `http.request` that resolves the host once, refuses the connection when
 * any of its addresses is refused by the policy (a host with one private record among
 * public ones is treated as private), and hands the socket exactly the addresses it checked.
 */
export function guardedLookup(policy: DestinationPolicy, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      if (!policy.allowPrivateNetworks) {
        for (const { address } of addresses) {
          const range = refusedRange(address);
          if (range) return callback(new DestinationRefusedError(hostname, address, range), '');
        }
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * Sockets skip `lookup` for a literal IP, so a URL like `http://[::ffff:a00:1]/` is checked
 * here instead. Throws {@link DestinationRefusedError}.
 */
export function assertLiteralHostAllowed(url: URL, policy: DestinationPolicy): void {
  if (policy.allowPrivateNetworks) return;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) === 0) return;
  const range = refusedRange(host);
  if (range) throw new DestinationRefusedError(host, host, range);
}
