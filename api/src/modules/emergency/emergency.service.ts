import type { Kysely } from 'kysely';
import type { Database, FacilityKind, Hotline } from '../../db/database-schema.ts';
import { findNearestFacilities } from './emergency.repository.ts';

export interface NearbyFacility {
  code: string;
  name: string;
  kind: FacilityKind;
  hotline: Hotline;
  phone: string | null;
  address: string;
  location: { type: 'Point'; coordinates: [number, number] };
  /** Geodesic distance from the asked point, metres (rounded to the metre). */
  distanceM: number;
}

export interface NearestFacilitiesResult {
  point: { type: 'Point'; coordinates: [number, number] };
  kind: FacilityKind;
  hotline: Hotline;
  facilities: NearbyFacility[];
}

/** The national hotline of each kind of facility: it works everywhere, whatever the distance. */
export const hotlineByKind: Readonly<Record<FacilityKind, Hotline>> = Object.freeze({ police: '113', fire: '114', hospital: '115', clinic: '115' });

/** The nearest facilities of a kind to where the person is. An empty list is an answer too: the hotline still works. */
export async function listNearestFacilities(db: Kysely<Database>, kind: FacilityKind, longitude: number, latitude: number, limit: number): Promise<NearestFacilitiesResult> {
  const rows = await findNearestFacilities(db, kind, longitude, latitude, limit);
  return {
    point: { type: 'Point', coordinates: [longitude, latitude] },
    kind,
    hotline: hotlineByKind[kind],
    facilities: rows.map((row) => ({
      code: row.code,
      name: row.name,
      kind: row.kind,
      hotline: row.hotline,
      phone: row.phone,
      address: row.address,
      location: { type: 'Point', coordinates: [row.longitude, row.latitude] },
      distanceM: Math.round(row.distance_m),
    })),
  };
}
