import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/config.ts';
import { networksProblem, publicInternetOnly, RefusedTargetError, WebhookTargetGuard } from './webhook-target-policy.ts';

describe('where webhook deliveries may go', () => {
  const publicOnly = new WebhookTargetGuard(publicInternetOnly);

  it('allows public unicast addresses only, by default', () => {
    for (const address of ['8.8.8.8', '203.113.131.1', '2001:4860:4860::8888']) expect(publicOnly.allows(address), address).toBe(true);
    for (const address of [
      '127.0.0.1', // loopback
      '10.1.2.3',
      '172.16.5.4',
      '192.168.1.10', // private
      '169.254.169.254', // link-local: cloud metadata
      '100.64.0.1', // carrier-grade NAT
      '0.0.0.0',
      '255.255.255.255',
      '224.0.0.1', // multicast
      '::1',
      '::',
      'fe80::1',
      'fc00::1', // unique local
      '::ffff:127.0.0.1', // IPv4-mapped loopback
      '64:ff9b::a00:1', // NAT64 of 10.0.0.1
      'not an address',
    ]) {
      expect(publicOnly.allows(address), address).toBe(false);
    }
  });

  it('allows the networks a deployment names, and only those', () => {
    const internal = new WebhookTargetGuard({ allowedNetworks: ['10.20.0.0/16', '192.168.7.9', 'fd00:1::/32'] });
    for (const address of ['10.20.3.4', '192.168.7.9', 'fd00:1::5', '::ffff:10.20.0.1', '8.8.8.8']) expect(internal.allows(address), address).toBe(true);
    for (const address of ['10.21.0.1', '192.168.7.10', 'fd00:2::5', '127.0.0.1', '169.254.169.254']) expect(internal.allows(address), address).toBe(false);
  });

  it('names what is wrong with a URL whose host is an address or this machine', () => {
    expect(publicOnly.problemWithUrl('https://tdoffice.dienbien.gov.vn/hooks')).toBeUndefined();
    expect(publicOnly.problemWithUrl('https://203.113.131.1/hooks')).toBeUndefined();
    expect(publicOnly.problemWithUrl('http://127.0.0.1:8080/x')).toBe('127.0.0.1 is not a public address');
    expect(publicOnly.problemWithUrl('http://[::1]/x')).toBe('::1 is not a public address');
    expect(publicOnly.problemWithUrl('http://localhost:3000/x')).toBe('localhost is this server itself');
    expect(publicOnly.problemWithUrl('http://LOCALHOST./x')).toBe('localhost is this server itself');
    expect(publicOnly.problemWithUrl('http://api.localhost/x')).toBe('api.localhost is this server itself');
  });

  it('reads WEBHOOK_ALLOWED_NETWORKS, and refuses a list it cannot read', () => {
    expect(loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.20.0.0/16, 192.168.7.9' }).webhooks.allowedNetworks).toEqual(['10.20.0.0/16', '192.168.7.9']);
    expect(loadConfig({}).webhooks.allowedNetworks).toEqual([]);
    expect(networksProblem('10.0.0.0/8,intranet')).toMatch(/"intranet" is not a network/);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/33' })).toThrow(ConfigError);
  });

  describe('at connect time, on real sockets', () => {
    let server: http.Server;
    let port: number;
    beforeAll(async () => {
      server = http.createServer((_request, response) => response.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('refuses a name that resolves to a refused address, before any byte is sent', async () => {
      let requests = 0;
      server.on('request', () => (requests += 1));
      const dispatcher = publicOnly.dispatcher();
      try {
        const failure = await fetch(`http://localhost:${port}/`, { dispatcher }).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(Error);
        expect((failure as Error).cause).toBeInstanceOf(RefusedTargetError);
        expect(((failure as Error).cause as RefusedTargetError).message).toMatch(/^refused to connect to (127\.0\.0\.1|::1) \(localhost\): not a public address/);
        expect(requests).toBe(0);
      } finally {
        await dispatcher.close();
      }
    });

    it('connects when the resolved address is in an allowed network', async () => {
      const dispatcher = new WebhookTargetGuard({ allowedNetworks: ['127.0.0.0/8', '::1/128'] }).dispatcher();
      try {
        const response = await fetch(`http://localhost:${port}/`, { dispatcher });
        expect(response.status).toBe(200);
        expect(await response.text()).toBe('ok');
      } finally {
        await dispatcher.close();
      }
    });
  });
});
