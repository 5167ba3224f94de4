import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { ImportLayer } from '@bandoso/gis-data';
import type { Database } from '../../db/database-schema.ts';
import { upsertOffices } from '../offices/offices.service.ts';
import { officeSeedFileSchema } from '../offices/offices.schema.ts';
import { adoptGeneratedTilesets } from '../heritage/heritage.service.ts';
import { importTours } from '../heritage/heritage-tours.service.ts';
import { toursFileSchema } from '../heritage/heritage.schema.ts';
import { importReferenceFile, type BoundarySetOptions, type ImportProgress } from './imports.service.ts';

export const sampleDataDirectory = fileURLToPath(new URL('../../../../gis-data/sample/', import.meta.url));

export const CURRENT_BOUNDARY_SET = 'dienbien-2025';
export const PRE_2025_BOUNDARY_SET = 'dienbien-pre2025';

interface SampleFile {
  layer: ImportLayer;
  file: string;
  boundarySet?: BoundarySetOptions;
}

const current: BoundarySetOptions = {
  name: CURRENT_BOUNDARY_SET,
  validFrom: '2025-07-01',
  validTo: null,
  description: 'Điện Biên sau sắp xếp đơn vị hành chính 2025: 45 đơn vị cấp xã (3 phường, 42 xã). Ranh giới mẫu, gần đúng.',
};
const pre2025: BoundarySetOptions = {
  name: PRE_2025_BOUNDARY_SET,
  validFrom: '2004-01-01',
  validTo: '2025-06-30',
  description:
    'Trước 1/7/2025 (mẫu): chỉ gồm Thành phố Điện Biên Phủ và 12 phường, xã của thành phố. Ngày bắt đầu là ngày thành lập tỉnh; các thay đổi trước 2025 không được mô hình hoá.',
};

/** The Điện Biên sample dataset, in the order it must be imported (parents before children). */
export const sampleFiles: readonly SampleFile[] = [
  { layer: 'province', file: 'province.geojson', boundarySet: current },
  { layer: 'communes', file: 'communes-2025.geojson', boundarySet: current },
  { layer: 'province', file: 'province.geojson', boundarySet: pre2025 },
  { layer: 'communes', file: 'districts-pre2025.geojson', boundarySet: pre2025 },
  { layer: 'communes', file: 'communes-pre2025-tp-dien-bien-phu.geojson', boundarySet: pre2025 },
  { layer: 'planning-zones', file: 'planning-zones.geojson' },
  { layer: 'heritage-sites', file: 'heritage-sites.geojson' },
  { layer: 'cameras', file: 'cameras.geojson' },
  { layer: 'facilities', file: 'facilities.geojson' },
];

export interface SeedProgress extends ImportProgress {
  file: string;
}

/** Loads the whole sample dataset through the same importer users run; stops at the first problem. */
export async function seedSampleData(db: Kysely<Database>, onProgress?: (progress: SeedProgress) => void): Promise<void> {
  for (const sample of sampleFiles) {
    const report = await importReferenceFile(db, {
      layer: sample.layer,
      source: { path: `${sampleDataDirectory}${sample.file}` },
      ...(sample.boundarySet ? { boundarySet: sample.boundarySet } : {}),
      ...(onProgress ? { onProgress: (progress: ImportProgress) => onProgress({ ...progress, file: sample.file }) } : {}),
    });
    if (report.status !== 'imported') {
      const reasons = report.rejected.map((note) => `${note.feature}: ${note.reason}`).join('\n  ');
      throw new Error(`The sample file ${sample.file} did not import:\n  ${reasons}`);
    }
  }
  const offices = officeSeedFileSchema.parse(JSON.parse(await fs.readFile(`${sampleDataDirectory}offices.json`, 'utf8')));
  await upsertOffices(db, offices);
  await seedHeritageTours(db);
}

/**
 * The generated 3D tilesets (illustrative reconstructions; built now if they are not up to date) and
 * the tours of the sample sites, through the same checks as an admin's edit.
 */
async function seedHeritageTours(db: Kysely<Database>): Promise<void> {
  await adoptGeneratedTilesets(db);
  const tours = toursFileSchema.parse(JSON.parse(await fs.readFile(`${sampleDataDirectory}heritage-tours.json`, 'utf8')));
  const report = await importTours(db, tours);
  if (report.status !== 'imported') throw new Error(`The sample tours did not import:\n  ${report.problems.map((item) => `${item.site}: ${item.problem}`).join('\n  ')}`);
}
