import { describe, expect, it } from 'vitest';
import { normalizeKey } from '../text/fold-vietnamese.ts';
import { importLayers } from './import-types.ts';
import { layerSpecs, unitTypeLevels } from './layer-specs.ts';
import { describeLayer } from './prepare-import.ts';

describe('layerSpecs', () => {
  it('has a spec for every import layer', () => {
    expect(Object.keys(layerSpecs).sort()).toEqual([...importLayers].sort());
  });

  it.each(importLayers)('%s: no source name is claimed by two attributes', (layer) => {
    const owners = new Map<string, string>();
    for (const attribute of layerSpecs[layer].attributes) {
      for (const name of [attribute.name, ...attribute.aliases]) {
        const key = normalizeKey(name);
        const owner = owners.get(key);
        expect(owner === undefined || owner === attribute.name, `${layer}: "${name}" is an alias of both ${owner} and ${attribute.name}`).toBe(true);
        owners.set(key, attribute.name);
      }
    }
  });

  it.each(importLayers)('%s: every attribute lands in the output, and label attributes exist', (layer) => {
    const spec = layerSpecs[layer];
    for (const attribute of spec.attributes) expect(spec.outputAttributes).toContain(attribute.outputName ?? attribute.name);
    const names = spec.attributes.map((attribute) => attribute.name);
    expect(names).toContain(spec.labelAttributes.code);
    expect(names).toContain(spec.labelAttributes.name);
  });

  it('maps every Vietnamese unit type to a level', () => {
    expect(unitTypeLevels[normalizeKey('Thành phố trực thuộc trung ương')]).toBe('province');
    expect(unitTypeLevels[normalizeKey('Thị trấn')]).toBe('town');
    expect(unitTypeLevels[normalizeKey('Đặc khu')]).toBe('commune');
  });

  it('describes a layer for the CLI help', () => {
    expect(describeLayer('cameras').split('\n')[0]).toBe('cameras: traffic and public-safety cameras with their field of view (Point)');
    expect(describeLayer('cameras')).toMatch(/\n {2}\* code {17}camera code\n/);
    expect(describeLayer('cameras')).toMatch(/\n {4}status {15}online, offline or maintenance \(default online\)/);
  });
});
