/** Deterministic GeoJSON text for the sample files: one feature per line, UTF-8, trailing newline. */
import { writeFileSync } from 'node:fs';

export function formatFeatureCollection(features: readonly object[]): string {
  return `{"type":"FeatureCollection","features":[\n${features.map((feature) => JSON.stringify(feature)).join(',\n')}\n]}\n`;
}

export function writeFeatureCollection(path: string, features: readonly object[]): void {
  writeFileSync(path, formatFeatureCollection(features), 'utf8');
}

/** Round to 6 decimals (about 0.1 m), the precision of every sample coordinate. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
