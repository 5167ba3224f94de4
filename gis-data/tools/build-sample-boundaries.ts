/**
 * Build the sample administrative boundaries from hand-drawn outlines and estimated seats:
 *
 *   sample/province.geojson                               the province outline (1 feature)
 *   sample/communes-2025.geojson                          45 units in force since 2025-07-01
 *   sample/districts-pre2025.geojson                      Thành phố Điện Biên Phủ before 2025-07-01
 *   sample/communes-pre2025-tp-dien-bien-phu.geojson      its 12 wards and communes
 *
 * Units are Voronoi cells of their seats clipped to the outline (see planar-tessellation.ts): the
 * cells contain their seats, do not overlap and add up exactly to the outline. They are NOT the legal
 * boundaries. Output is deterministic.
 *
 *   npx tsx gis-data/tools/build-sample-boundaries.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanWithin, polygon } from '@turf/turf';
import { writeFeatureCollection } from './geojson-output.ts';
import { roundLonLat, tessellate } from './planar-tessellation.ts';
import { adminUnits2025, tpDienBienPhuPre2025 } from './sample-admin-centres.ts';
import { provinceOutline, tpDienBienPhuOutline } from './sample-outlines.ts';

const sampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../sample');

const province = tessellate(
  provinceOutline,
  adminUnits2025.map((unit) => ({ id: unit.code, position: unit.seat })),
);

writeFeatureCollection(path.join(sampleDir, 'province.geojson'), [
  {
    type: 'Feature',
    properties: { code: '11', name: 'Tỉnh Điện Biên', unit_type: 'tỉnh' },
    geometry: { type: 'MultiPolygon', coordinates: [[province.outline]] },
  },
]);

writeFeatureCollection(
  path.join(sampleDir, 'communes-2025.geojson'),
  [...adminUnits2025]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((unit) => ({
      type: 'Feature',
      properties: {
        code: unit.code,
        name: unit.name,
        unit_type: unit.unitType,
        merged_from: unit.mergedFrom,
        admin_center_name: unit.adminCenterName,
        admin_center: roundLonLat(unit.seat),
        position_note: unit.positionNote,
      },
      geometry: { type: 'MultiPolygon', coordinates: province.cells.get(unit.code)!.map((ring) => [ring]) },
    })),
);

const city = tessellate(
  tpDienBienPhuOutline,
  tpDienBienPhuPre2025.units.map((unit) => ({ id: unit.code, position: unit.seat })),
);
if (!booleanWithin(polygon([city.outline.map((p) => [...p])]), polygon([province.outline.map((p) => [...p])]))) {
  throw new Error('the Thành phố Điện Biên Phủ outline must lie inside the province outline');
}

writeFeatureCollection(path.join(sampleDir, 'districts-pre2025.geojson'), [
  {
    type: 'Feature',
    properties: { code: tpDienBienPhuPre2025.code, name: tpDienBienPhuPre2025.name, unit_type: tpDienBienPhuPre2025.unitType },
    geometry: { type: 'MultiPolygon', coordinates: [[city.outline]] },
  },
]);

writeFeatureCollection(
  path.join(sampleDir, 'communes-pre2025-tp-dien-bien-phu.geojson'),
  [...tpDienBienPhuPre2025.units]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((unit) => ({
      type: 'Feature',
      properties: {
        code: unit.code,
        name: unit.name,
        unit_type: unit.unitType,
        parent_code: tpDienBienPhuPre2025.code,
        admin_center: roundLonLat(unit.seat),
        position_note: unit.positionNote,
      },
      geometry: { type: 'MultiPolygon', coordinates: city.cells.get(unit.code)!.map((ring) => [ring]) },
    })),
);

const vertexCount = province.outline.length - 1;
console.log(`province outline: ${vertexCount} vertices (${provinceOutline.length} hand-drawn + ${vertexCount - provinceOutline.length} where unit edges meet it)`);
console.log(`communes-2025: ${adminUnits2025.length} units, ${[...province.cells.values()].filter((cell) => cell.length > 1).length} in several parts`);
console.log(`Thành phố Điện Biên Phủ outline: ${city.outline.length - 1} vertices; ${tpDienBienPhuPre2025.units.length} units`);
