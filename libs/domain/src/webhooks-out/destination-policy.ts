import { BlockList, isIP } from 'node:net';

type Subnet = readonly [address: string, prefix: number];

// IPv4 ranges no webhook may reach, by the name a refusal gives. A BlockList also matches an
// IPv4 rule against the IPv4-mapped IPv6 form (::ffff:127.0.0.1, ::ffff:7f00:1).
const IPV4: Record<string, Subnet[]> = {
  'cloud metadata': [['169.254.169.254', 32]],
  loopback: [['127.0.0.0', 8]],
  unspecified: [['0.0.0.0', 8]],
  private: [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16]],
  'link-local': [['169.254.0.0', 16]],
  'shared (CGNAT)': [['100.64.0.0', 10]],
  multicast: [['224.0.0.0', 4]],
  // IANA special-purpose blocks that are not globally reachable (protocol assignments,
  // documentation, benchmarking, 6to4 relay, the reserved 240/4 with the broadcast address).
  reserved: [['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['240.0.0.0', 4]],
};

const IPV6: Record<string, Subnet[]> = {
  'cloud metadata': [['fd00:ec2::254', 128]],
  loopback: [['::1', 128]],
  unspecified: [['::', 128]],
  private: [['fc00::', 7], ['fec0::', 10]],
  'link-local': [['fe80::', 10]],
  multicast: [['ff00::', 8]],
  // IPv4-compatible (deprecated), discard, Teredo, documentation, local-use NAT64.
  reserved: [['::', 96], ['100::', 64], ['2001::', 32], ['2001:db8::', 32], ['64:ff9b:1::', 48]],
};

/** The IPv4 address as the two hex groups IPv6 embeds it in. */
function hexGroups(ipv4: string): string {
  const [a, b, c, d] = ipv4.split('.').map(Number);
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

function blockList(ipv4: Subnet[], ipv6: Subnet[]): BlockList {
  const list = new BlockList();
  for (const [address, prefix] of ipv4) list.addSubnet(address, prefix, 'ipv4');
  for (const [address, prefix] of ipv6) list.addSubnet(address, prefix, 'ipv6');
  return list;
}

/**
 * One BlockList per reason, the most specific first (metadata before link-local, loopback
 * before reserved), then the IPv4 ranges reached through NAT64 (64:ff9b::/96) or 6to4
 * (2002::/16), which embed them: not loopback of this host, so never allowed as loopback.
 */
const RULES: ReadonlyArray<readonly [reason: string, list: BlockList]> = [
  ...[...new Set([...Object.keys(IPV4), ...Object.keys(IPV6)])].map((reason) => [reason, blockList(IPV4[reason] ?? [], IPV6[reason] ?? [])] as const),
  ...Object.entries(IPV4).map(([reason, subnets]) => {
    const embedded = subnets.flatMap(([address, prefix]): Subnet[] => [
      [`64:ff9b::${hexGroups(address)}`, 96 + prefix],
      [`2002:${hexGroups(address)}::`, 16 + prefix],
    ]);
    return [`${reason}, embedded in IPv6`, blockList([], embedded)] as const;
  }),
];

/**
 * Why a webhook may not be delivered to this address ('loopback', 'private', 'cloud metadata',
 * ...), or null when it is a public address. Anything that is not an IP address is refused.
 */
export function forbiddenAddressReason(ip: string): string | null {
  const family = isIP(ip);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return RULES.find(([, list]) => list.check(ip, type))?.[0] ?? null;
}

export function isForbiddenAddress(ip: string): boolean {
  return forbiddenAddressReason(ip) !== null;
}

/** 127/8, ::1 and ::ffff:127.x: what WEBHOOKS_ALLOW_LOOPBACK lets through, and nothing else. */
export function isLoopbackAddress(ip: string): boolean {
  return forbiddenAddressReason(ip) === 'loopback';
}

/** Whether a delivery may connect to `ip`: a public address, or loopback where the setting allows it. */
export function isAllowedDestination(ip: string, allowLoopback: boolean): boolean {
  const reason = forbiddenAddressReason(ip);
  return reason === null || (allowLoopback && reason === 'loopback');
}

export interface WebhookUrlPolicy {
  /** Only https (WEBHOOKS_REQUIRE_HTTPS, on in production). */
  requireHttps: boolean;
  /** Loopback addresses are allowed (WEBHOOKS_ALLOW_LOOPBACK: local development and tests). */
  allowLoopback: boolean;
}

/**
 * Null when `url` may receive webhooks, else what is wrong with it, for a 400. Only what the URL
 * itself shows is checked here: a host name is checked when it is resolved, at each delivery.
 */
export function checkWebhookUrl(url: string, policy: WebhookUrlPolicy): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url is not a valid absolute URL';
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (policy.requireHttps && scheme !== 'https') return `url must use https, not ${scheme}`;
  if (scheme !== 'https' && scheme !== 'http') return `url must use http or https, not ${scheme}`;
  if (parsed.username || parsed.password) return 'url must not contain a user name or password: send credentials in a custom header';
  // The URL parser has already turned 0x7f.1 or 2130706433 into 127.0.0.1; IPv6 comes in brackets.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) === 0 || isAllowedDestination(host, policy.allowLoopback)) return null;
  return `url points to ${host} (${forbiddenAddressReason(host)}): webhooks go to public addresses only`;
}
