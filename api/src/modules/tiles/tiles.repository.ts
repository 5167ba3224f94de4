import { layerExtentQuery, type LayerDefinition, type LayerParameters } from '@bandoso/tiles';
import type { DatabaseExecutor } from '../../db/database-schema.ts';

export interface LayerExtent {
  bbox: [number, number, number, number] | null;
  /** First and last value of the layer's time property (ISO), when it has one. */
  interval: [string | null, string | null] | null;
}

/** Whether an OpenStreetMap base map was ever imported (`npm run import -- basemap`). */
export async function hasBasemapImport(db: DatabaseExecutor): Promise<boolean> {
  return (await db.selectFrom('basemap_import').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** The layer's extent (WGS84) and time span; tile and feature SQL live in @bandoso/tiles. */
export async function findLayerExtent(db: DatabaseExecutor, layer: LayerDefinition, parameters: LayerParameters): Promise<LayerExtent> {
  const row = (await layerExtentQuery(layer, parameters).execute(db)).rows[0];
  const bbox = row && row.west !== null && row.south !== null && row.east !== null && row.north !== null ? ([row.west, row.south, row.east, row.north] as [number, number, number, number]) : null;
  return { bbox, interval: layer.temporal ? [row?.first ?? null, row?.last ?? null] : null };
}
