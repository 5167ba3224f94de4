import ipaddr from 'ipaddr.js';

/**
 * Networks in CIDR notation, as the configuration names them (TRUST_PROXY, WEBHOOK_ALLOWED_NETWORKS):
 * shared by the configuration, which validates them at start-up, and by whatever reaches outside
 * (webhook deliveries), which enforces them.
 */
export type Network = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses CIDRs (`10.0.0.0/8`) or single addresses (`10.0.0.5`); throws on anything else. */
export function parseNetworks(list: readonly string[]): Network[] {
  return list.map((entry) => {
    const text = entry.trim();
    if (text.includes('/')) return ipaddr.parseCIDR(text);
    const address = ipaddr.parse(text);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  });
}

/** `undefined` when a comma-separated list of networks is valid, else what is wrong with it. */
export function networksProblem(list: string): string | undefined {
  for (const entry of list.split(',').filter((item) => item.trim() !== '')) {
    try {
      parseNetworks([entry]);
    } catch {
      return `${JSON.stringify(entry.trim())} is not a network: write a CIDR such as 10.20.0.0/16, or an address`;
    }
  }
  return undefined;
}
