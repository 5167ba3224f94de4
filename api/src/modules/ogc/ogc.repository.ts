import { featureByIdQuery, featureCountQuery, featuresQuery, type FeaturePage, type FeatureRow, type FeatureSelection, type LayerDefinition, type LayerParameters } from '@bandoso/tiles';
import type { DatabaseExecutor } from '../../db/database-schema.ts';


// The SQL itself is built by @bandoso/tiles from the layer registry (one definition per layer, the
// same public fields as the tiles); this repository only runs it.

export async function listFeatures(db: DatabaseExecutor, layer: LayerDefinition, parameters: LayerParameters, page: FeaturePage): Promise<FeatureRow[]> {
  return (await featuresQuery(layer, parameters, page).execute(db)).rows;
}

export async function countFeatures(db: DatabaseExecutor, layer: LayerDefinition, parameters: LayerParameters, selection: FeatureSelection): Promise<number> {
  return (await featureCountQuery(layer, parameters, selection).execute(db)).rows[0]?.count ?? 0;
}

export async function findFeature(db: DatabaseExecutor, layer: LayerDefinition, parameters: LayerParameters, id: string): Promise<FeatureRow | undefined> {
  return (await featureByIdQuery(layer, parameters, id).execute(db)).rows[0];
}
