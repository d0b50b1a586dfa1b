import type { LookupAddress } from 'node:dns';
import {
  assertLiteralHostAllowed,
  DestinationRefusedError,
  guardedLookup,
  refusedRange,
} from '../../../libs/webhooks/src/delivery/destination-guard';
import { webhookUrlProblem } from '../../../libs/webhooks/src/endpoints/webhook-url';

describe('the webhook destination guard', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['::ffff:127.0.0.1', 'loopback (ipv4Mapped)'],
    ['::ffff:a9fe:a9fe', 'linkLocal (ipv4Mapped)'],
    ['64:ff9b::a00:1', 'private (rfc6052)'],
    ['2002:c0a8:0101::1', 'private (6to4)'],
    ['::7f00:1', 'ipv4Compatible'],
    ['::a9fe:a9fe', 'ipv4Compatible'],
    ['::808:808', 'ipv4Compatible'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'allows the public address %s',
    (address) => {
      expect(refusedRange(address)).toBeUndefined();
    },
  );

  /** A resolver answering from a fixed table, counting its calls. */
  function fakeResolver(table: Record<string, LookupAddress[]>) {
    const calls: string[] = [];
    const resolve = (
      hostname: string,
      _options: unknown,
      callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
    ) => {
      calls.push(hostname);
      const addresses = table[hostname];
      if (addresses) callback(null, addresses);
      else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    };
    return { resolve, calls };
  }

  function lookupOnce(
    lookup: ReturnType<typeof guardedLookup>,
    hostname: string,
    all: boolean,
  ): Promise<{ address: string | LookupAddress[]; family?: number }> {
    return new Promise((resolve, reject) =>
      lookup(hostname, { all }, (error, address, family) =>
        error ? reject(error) : resolve({ address, family }),
      ),
    );
  }

  const table: Record<string, LookupAddress[]> = {
    'hooks.example.com': [{ address: '93.184.216.34', family: 4 }],
    'internal.example.com': [{ address: '10.0.0.5', family: 4 }],
    'mixed.example.com': [
      { address: '93.184.216.34', family: 4 },
      { address: 'fd00::5', family: 6 },
    ],
  };

  it('refuses a hostname that resolves to a private address', async () => {
    const { resolve } = fakeResolver(table);
    const lookup = guardedLookup({ allowPrivateNetworks: false }, resolve);
    const refusal = lookupOnce(lookup, 'internal.example.com', false);
    await expect(refusal).rejects.toBeInstanceOf(DestinationRefusedError);
    await expect(refusal).rejects.toThrow(
      'internal.example.com resolves to 10.0.0.5, in a refused range (private)',
    );
  });

  it('refuses a hostname when any one of its addresses is private', async () => {
    const lookup = guardedLookup({ allowPrivateNetworks: false }, fakeResolver(table).resolve);
    await expect(lookupOnce(lookup, 'mixed.example.com', true)).rejects.toThrow(/fd00::5.*uniqueLocal/);
  });

  it('hands the socket exactly the addresses it checked, from a single resolution', async () => {
    const { resolve, calls } = fakeResolver(table);
    const lookup = guardedLookup({ allowPrivateNetworks: false }, resolve);
    expect(await lookupOnce(lookup, 'hooks.example.com', false)).toEqual({
      address: '93.184.216.34',
      family: 4,
    });
    expect(await lookupOnce(lookup, 'hooks.example.com', true)).toEqual({
      address: [{ address: '93.184.216.34', family: 4 }],
    });
    expect(calls).toEqual(['hooks.example.com', 'hooks.example.com']);
  });

  it('lets everything through when private networks are allowed, and passes resolver errors on', async () => {
    const lookup = guardedLookup({ allowPrivateNetworks: true }, fakeResolver(table).resolve);
    expect(await lookupOnce(lookup, 'internal.example.com', false)).toEqual({
      address: '10.0.0.5',
      family: 4,
    });
    await expect(lookupOnce(lookup, 'nowhere.example.com', false)).rejects.toThrow(/ENOTFOUND/);
  });

  it('refuses literal private addresses in URLs, which sockets connect to without a lookup', () => {
    const policy = { allowPrivateNetworks: false };
    expect(() => assertLiteralHostAllowed(new URL('http://[::ffff:7f00:1]:8080/hook'), policy)).toThrow(
      DestinationRefusedError,
    );
    expect(() => assertLiteralHostAllowed(new URL('http://0x7f.1/hook'), policy)).toThrow(/127\.0\.0\.1/);
    expect(() => assertLiteralHostAllowed(new URL('https://8.8.8.8/hook'), policy)).not.toThrow();
    expect(() => assertLiteralHostAllowed(new URL('https://hooks.example.com/'), policy)).not.toThrow();
  });

  it('checks URLs at registration: http(s) only, no credentials, no private literal hosts', () => {
    const strict = { allowPrivateNetworks: false };
    expect(webhookUrlProblem('https://hooks.example.com/depot', strict)).toBeUndefined();
    expect(webhookUrlProblem('ftp://hooks.example.com/', strict)).toBe('must be an http or https URL');
    expect(webhookUrlProblem('file:///etc/passwd', strict)).toBe('must be an http or https URL');
    expect(webhookUrlProblem('not a url', strict)).toBe('must be an absolute URL');
    expect(webhookUrlProblem('https://user:pw@hooks.example.com/', strict)).toBe(
      'must not contain credentials',
    );
    expect(webhookUrlProblem('http://169.254.169.254/latest/meta-data', strict)).toBe(
      'must not point at a private network',
    );
    expect(webhookUrlProblem('http://localhost:3000/', strict)).toBe('must not point at a private network');
    expect(webhookUrlProblem('http://localhost:3000/', { allowPrivateNetworks: true })).toBeUndefined();
  });
});
