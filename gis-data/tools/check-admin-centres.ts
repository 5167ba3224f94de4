/**
 * Throw-away check: does each estimated seat in sample-admin-centres.ts fall inside the REAL unit
 * with the same code? Reads the licensed test data from ../shared/data at run time and prints
 * pass/fail only. It never writes anything: nothing derived from the real geometry may enter the
 * repository.
 *
 *   npx tsx gis-data/tools/check-admin-centres.ts [path/to/dienbien-communes-2025.geojson]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { booleanPointInPolygon, point } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { adminUnits2025 } from './sample-admin-centres.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const realPath = process.argv[2] ?? path.resolve(here, '../../../shared/data/dienbien-communes-2025.geojson');

type RealUnit = Feature<Polygon | MultiPolygon, { code: string; name: string }>;
const real = JSON.parse(readFileSync(realPath, 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>;
const realByCode = new Map<string, RealUnit>(real.features.map((feature) => [feature.properties.code, feature]));

let failures = 0;
for (const unit of adminUnits2025) {
  const realUnit = realByCode.get(unit.code);
  if (!realUnit) {
    console.log(`FAIL ${unit.code} ${unit.name}: no real unit with this code`);
    failures++;
    continue;
  }
  const seat = point([...unit.seat]);
  if (booleanPointInPolygon(seat, realUnit)) {
    console.log(`pass ${unit.code} ${unit.name}`);
    continue;
  }
  failures++;
  // Naming the unit the estimate fell into is a pass/fail diagnostic, not a coordinate.
  const fellInto = real.features.find((feature) => booleanPointInPolygon(seat, feature));
  console.log(`FAIL ${unit.code} ${unit.name}: estimate is in ${fellInto ? fellInto.properties.name : 'no unit (outside the province)'}`);
}
console.log(`${adminUnits2025.length - failures}/${adminUnits2025.length} estimated seats inside their real unit`);
process.exitCode = failures === 0 ? 0 : 1;
