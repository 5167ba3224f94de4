import { createHash, timingSafeEqual } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { parseNetworks, type Network } from '../../http/networks.ts';

export interface MetricsAccessPolicy {
  /** METRICS_ALLOWED_NETWORKS: CIDRs or addresses. */
  allowedNetworks: readonly string[];
  /** METRICS_TOKEN: a scraper elsewhere presents it as `Authorization: Bearer <token>`. */
  token: string | undefined;
}

/** Why a scrape was refused, in words an operator can act on (undefined: allowed). */
export type MetricsRefusal = string | undefined;

/**
 * Who may read /metrics: a client in an allowed network, or one that presents the token. The client
 * address is Express's `req.ip`, so it follows TRUST_PROXY as the rate limits do: behind nginx on this
 * host, an outside scraper is seen by its own address (X-Forwarded-For), not the proxy's loopback one.
 */
export class MetricsAccess {
  readonly #networks: Network[];
  readonly #tokenDigest: Buffer | undefined;

  constructor(policy: MetricsAccessPolicy) {
    this.#networks = parseNetworks(policy.allowedNetworks);
    this.#tokenDigest = policy.token === undefined ? undefined : digest(policy.token);
  }

  /** `undefined` when the request may read the metrics (an allowed network, or the token), else why not. */
  refusal(clientAddress: string | undefined, authorization: string | undefined): MetricsRefusal {
    if (clientAddress !== undefined && this.#allowsAddress(clientAddress)) return undefined;
    const outside = `this request comes from ${clientAddress ?? 'an unknown address'}, outside METRICS_ALLOWED_NETWORKS (behind a proxy, see TRUST_PROXY)`;
    if (authorization === undefined) return `Metrics are readable from METRICS_ALLOWED_NETWORKS or with "Authorization: Bearer <METRICS_TOKEN>"; ${outside}.`;
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (presented === undefined) return `The Authorization header must be "Bearer <METRICS_TOKEN>"; ${outside}.`;
    if (!this.#tokenDigest) return `This server has no METRICS_TOKEN, so only METRICS_ALLOWED_NETWORKS may read metrics; ${outside}.`;
    // Compared as SHA-256 digests: equal lengths, and no timing that depends on the token's bytes.
    if (timingSafeEqual(digest(presented), this.#tokenDigest)) return undefined;
    return `The bearer token is not this server’s METRICS_TOKEN; ${outside}.`;
  }

  #allowsAddress(address: string): boolean {
    if (!ipaddr.isValid(address)) return false;
    // An IPv4-mapped IPv6 address (::ffff:127.0.0.1, a dual-stack socket) counts as the IPv4 address.
    const parsed = ipaddr.process(address);
    return this.#networks.some(([network, bits]) => network.kind() === parsed.kind() && parsed.match(network, bits));
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
