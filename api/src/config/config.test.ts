import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

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
    expect(config.database).toEqual({ kind: 'server', url: 'postgres://u:p@db:5432/bandoso', poolSize: 10 });
    expect(config.port).toBe(8080);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('embedded');
  });

  it('stops with a message naming each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ SEED_SAMPLE_DATA: 'yes' })).toThrow(/SEED_SAMPLE_DATA/);
  });
});
