import type { SearchResponse } from '@bandoso/contracts';
import { foldVietnamese } from '@bandoso/gis-data';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { administrativeDate } from '../boundaries/boundaries.service.ts';
import type { SearchQuery } from './search.schema.ts';
import { searchPlaces } from './search.repository.ts';

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/**
 * Places by name, best match first: the query is folded the way the imports fold `name_folded`
 * (accents, đ and case gone), so "bao tang chien thang" finds "Bảo tàng Chiến thắng…", and ranked by
 * trigram similarity, so "muong thnah" still finds "Phường Mường Thanh".
 */
export async function searchByName(db: Kysely<Database>, query: SearchQuery, now: Date = new Date()): Promise<SearchResponse> {
  const near = query.lon !== undefined && query.lat !== undefined ? { lon: query.lon, lat: query.lat } : null;
  const rows = await searchPlaces(db, { folded: foldVietnamese(query.q), date: administrativeDate(undefined, now), near, limit: query.limit });
  return {
    results: rows.map((row) => ({
      kind: row.kind,
      id: row.id,
      name: row.name,
      commune: row.commune_code !== null && row.commune_name !== null ? { code: row.commune_code, name: row.commune_name } : null,
      point: [round(row.lon, 6), round(row.lat, 6)],
      bbox: row.west !== null && row.south !== null && row.east !== null && row.north !== null ? [round(row.west, 6), round(row.south, 6), round(row.east, 6), round(row.north, 6)] : null,
      distanceM: row.distance_m === null ? null : Math.round(row.distance_m),
    })),
  };
}
