import { sql } from 'kysely';
import type { FacilityKind, Hotline, DatabaseExecutor } from '../../db/database-schema.ts';
import { distanceMetres, makePoint } from '../../db/postgis.ts';


export interface NearbyFacilityRow {
  code: string;
  name: string;
  kind: FacilityKind;
  hotline: Hotline;
  phone: string | null;
  address: string;
  longitude: number;
  latitude: number;
  distance_m: number;
}

/**
 * The facilities of one kind nearest to a point, nearest first, with the distance on the spheroid.
 *
 * Two steps: `ORDER BY location <-> point` walks the GiST index (a K-nearest-neighbour scan), but it
 * orders by planar distance in degrees, where a degree of longitude is shorter than a degree of
 * latitude (×0.93 at Điện Biên's latitude), so it can swap two facilities at similar distances. The
 * index therefore picks more candidates than asked for (2×limit + 10), and the exact geodesic
 * distance (`ST_Distance(::geography)`) orders those.
 */
export async function findNearestFacilities(db: DatabaseExecutor, kind: FacilityKind, longitude: number, latitude: number, limit: number): Promise<NearbyFacilityRow[]> {
  const point = makePoint(longitude, latitude);
  const candidates = db
    .selectFrom('emergency_facility')
    .select(['code', 'name', 'kind', 'hotline', 'phone', 'address', 'location'])
    .where('kind', '=', kind)
    .orderBy(sql`location <-> ${point}`)
    .limit(limit * 2 + 10)
    .as('candidate');
  return db
    .selectFrom(candidates)
    .select([
      'candidate.code',
      'candidate.name',
      'candidate.kind',
      'candidate.hotline',
      'candidate.phone',
      'candidate.address',
      sql<number>`ST_X(candidate.location)`.as('longitude'),
      sql<number>`ST_Y(candidate.location)`.as('latitude'),
      distanceMetres(sql.ref('candidate.location'), point).as('distance_m'),
    ])
    .orderBy('distance_m')
    .orderBy('candidate.code')
    .limit(limit)
    .execute();
}
