import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent } from 'undici';
import { parseNetworks, type Network } from '../../http/networks.ts';

/**
 * Where webhook deliveries may go. An office's URL is typed by its staff, and the platform POSTs to
 * it from inside the deployment's network: without a rule, a URL such as
 * http://169.254.169.254/… (cloud metadata), http://127.0.0.1:5432/ or http://10.0.0.7/admin would
 * make the platform probe its own network, and the delivery log (status, duration) would tell what
 * it found. So by default a delivery goes only to public unicast addresses; a deployment whose
 * document systems live on the government's internal network names those networks
 * (WEBHOOK_ALLOWED_NETWORKS, CIDR notation).
 *
 * The rule is applied to the address actually connected to (the DNS answer is checked at connect
 * time, so a name that resolves to a public address when the URL is saved and to a private one later
 * is still refused), and to IP literals in the URL, which connect without a lookup.
 */
export interface WebhookTargetPolicy {
  /** Networks allowed besides public unicast addresses, e.g. `10.20.0.0/16`. */
  readonly allowedNetworks: readonly string[];
  /** The setting that lists them, named in refusals (default WEBHOOK_ALLOWED_NETWORKS; the camera relay's is CAMERA_ALLOWED_NETWORKS). */
  readonly settingName?: string;
}

export const publicInternetOnly: WebhookTargetPolicy = Object.freeze({ allowedNetworks: Object.freeze([]) });

export { networksProblem, parseNetworks } from '../../http/networks.ts';

/** Thrown (as the cause of the fetch failure) when a delivery would connect to a refused address. */
export class RefusedTargetError extends Error {
  readonly address: string;

  constructor(address: string, host: string, settingName = 'WEBHOOK_ALLOWED_NETWORKS') {
    super(`refused to connect to ${address}${host === address ? '' : ` (${host})`}: not a public address; a deployment that connects to its internal network lists it in ${settingName}`);
    this.name = 'RefusedTargetError';
    this.address = address;
  }
}

/** Applies a policy to addresses and URLs. */
export class WebhookTargetGuard {
  readonly #networks: Network[];
  readonly #settingName: string | undefined;

  constructor(policy: WebhookTargetPolicy) {
    this.#networks = parseNetworks(policy.allowedNetworks);
    this.#settingName = policy.settingName;
  }

  /** Public unicast, or inside an allowed network. IPv4-mapped IPv6 counts as the IPv4 address. */
  allows(address: string): boolean {
    if (!ipaddr.isValid(address)) return false;
    const parsed = ipaddr.process(address);
    if (parsed.range() === 'unicast') return true;
    return this.#networks.some(([network, bits]) => network.kind() === parsed.kind() && parsed.match(network, bits));
  }

  /**
   * What is wrong with a URL's host when it is an address, or a name that is always local
   * (`localhost`): checked when the URL is saved, so staff hear of it at once. Other names are
   * checked when a delivery connects.
   */
  problemWithUrl(url: string): string | undefined {
    const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
    const local = host === 'localhost' || host.endsWith('.localhost');
    if (local && !this.allows('127.0.0.1')) return `${host} is this server itself`;
    if (ipaddr.isValid(host) && !this.allows(host)) return `${host} is not a public address`;
    return undefined;
  }

  /** The DNS lookup deliveries connect with: every address of the answer must be allowed. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const refused = addresses.find((entry) => !this.allows(entry.address));
      if (refused) {
        callback(new RefusedTargetError(refused.address, hostname, this.#settingName), '', 0);
        return;
      }
      if (options.all) (callback as unknown as (error: null, addresses: dns.LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

  /** An HTTP dispatcher whose connections go through `lookup`. */
  dispatcher(): Agent {
    return new Agent({ connect: { lookup: this.lookup } });
  }
}
