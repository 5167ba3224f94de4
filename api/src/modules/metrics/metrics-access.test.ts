import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { MetricsAccess } from './metrics-access.ts';

describe('MetricsAccess', () => {
  const loopback = new MetricsAccess(loadConfig({}).metrics);

  it('admits this host by default (IPv4, IPv6 and IPv4-mapped IPv6), and no one else', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(loopback.refusal(address, undefined), address).toBeUndefined();
    for (const address of ['10.0.0.1', '192.0.2.1', '::ffff:10.0.0.1', '2001:db8::1', 'not-an-address']) {
      expect(loopback.refusal(address, undefined), address).toMatch(/METRICS_ALLOWED_NETWORKS/);
    }
    expect(loopback.refusal(undefined, undefined)).toMatch(/an unknown address/);
  });

  it('admits the configured networks, or the token from anywhere', () => {
    const access = new MetricsAccess(loadConfig({ METRICS_ALLOWED_NETWORKS: '10.20.0.0/16, 2001:db8::/32', METRICS_TOKEN: 'sixteen-chars-ok' }).metrics);
    expect(access.refusal('10.20.3.4', undefined)).toBeUndefined();
    expect(access.refusal('2001:db8::7', undefined)).toBeUndefined();
    expect(access.refusal('127.0.0.1', undefined)).toMatch(/127\.0\.0\.1, outside METRICS_ALLOWED_NETWORKS/);
    expect(access.refusal('198.51.100.1', 'Bearer sixteen-chars-ok')).toBeUndefined();
    expect(access.refusal('198.51.100.1', 'bearer   sixteen-chars-ok ')).toBeUndefined();
    expect(access.refusal('198.51.100.1', 'Bearer sixteen-chars-o')).toMatch(/not this server’s METRICS_TOKEN/);
    expect(access.refusal('198.51.100.1', 'Basic c2l4dGVlbjpjaGFycw==')).toMatch(/must be "Bearer <METRICS_TOKEN>"/);
  });

  it('without METRICS_TOKEN, no bearer token admits an outside client', () => {
    expect(loopback.refusal('198.51.100.1', 'Bearer anything-at-all-here')).toMatch(/no METRICS_TOKEN/);
  });

  it('stops start-up on a bad network or a short token, naming the variable', () => {
    expect(() => loadConfig({ METRICS_ALLOWED_NETWORKS: '10.0.0.0/33' })).toThrow(/METRICS_ALLOWED_NETWORKS: "10.0.0.0\/33" is not a network/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });
});
