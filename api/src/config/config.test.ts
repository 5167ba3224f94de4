import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig } from './config.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const read = (name: string) => fs.readFileSync(path.join(repositoryRoot, name), 'utf8');

describe('loadConfig', () => {
  it('defaults to the embedded database in ./.data on port 3000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'embedded', dataDir: path.resolve('.data') });
    expect(config.seedSampleData).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('uses a PostGIS server when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/bandoso', PORT: '8080' });
    expect(config.database).toEqual({
      kind: 'server',
      url: 'postgres://u:p@db:5432/bandoso',
      poolSize: 10,
      timeouts: { connectMs: 2000, statementMs: 10_000, idleInTransactionMs: 60_000 },
      importStatementTimeoutMs: 3_600_000,
      waitMs: 60_000,
    });
    expect(config.port).toBe(8080);
  });

  it('reads the database timeouts, the health timeout and the shutdown grace in seconds', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/bandoso',
      DATABASE_CONNECT_TIMEOUT_S: '0.5',
      DATABASE_STATEMENT_TIMEOUT_S: '0',
      DATABASE_WAIT_S: '5',
      HEALTH_TIMEOUT_S: '1',
      SHUTDOWN_GRACE_S: '3',
    });
    expect(config.database).toMatchObject({ timeouts: { connectMs: 500, statementMs: 0 }, waitMs: 5000 });
    expect(config.healthTimeoutMs).toBe(1000);
    expect(config.shutdownGraceMs).toBe(3000);
    expect(loadConfig({}).healthTimeoutMs).toBe(1500);
    expect(loadConfig({}).shutdownGraceMs).toBe(10_000);
    expect(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_S: '0' })).toThrow(/DATABASE_CONNECT_TIMEOUT_S/);
    expect(() => loadConfig({ SHUTDOWN_GRACE_S: '-1' })).toThrow(/SHUTDOWN_GRACE_S/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('embedded');
  });

  it('reads TRUST_PROXY as Express does: names, addresses and CIDRs, hops, or true/false', () => {
    expect(loadConfig({}).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'my-proxy' })).toThrow(/TRUST_PROXY: "my-proxy" is not loopback/);
  });

  it('stops with a message naming each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ SEED_SAMPLE_DATA: 'yes' })).toThrow(/SEED_SAMPLE_DATA/);
  });

  it('is documented: the README\'s table lists every variable, and the Docker files set only known ones', () => {
    const table = new Set([...read('README.md').matchAll(/^\| `([A-Z_0-9]+)` \|/gm)].map((match) => match[1]));
    expect([...configVariables].filter((name) => !table.has(name))).toEqual([]);
    expect([...table].filter((name) => !configVariables.includes(name!))).toEqual([]);
    const compose = [...read('docker-compose.yml').matchAll(/^\s+#?\s*([A-Z_0-9]+): /gm)].map((match) => match[1]!).filter((name) => !name.startsWith('POSTGRES_'));
    const dockerfile = [...read('Dockerfile').matchAll(/^ENV ([A-Z_0-9]+)=/gm)].map((match) => match[1]!).filter((name) => name !== 'NODE_ENV');
    expect(compose.length).toBeGreaterThan(3);
    expect([...compose, ...dockerfile].filter((name) => !configVariables.includes(name))).toEqual([]);
  });
});
