import { searchResultKinds, type SearchResultKind } from '@bandoso/contracts';
import { sql, type RawBuilder } from 'kysely';
import type { DatabaseExecutor } from '../../db/database-schema.ts';
import { foldedSql } from '../../db/folded-text.ts';
import { makePoint } from '../../db/postgis.ts';

export interface SearchTerms {
  /** The query folded with foldVietnamese, as the tables' `name_folded`. */
  folded: string;
  /** The calendar day (Vietnam) whose boundary set gives the communes. */
  date: string;
  near: { lon: number; lat: number } | null;
  limit: number;
}

export interface SearchRow {
  kind: SearchResultKind;
  id: string;
  name: string;
  commune_code: string | null;
  commune_name: string | null;
  lon: number;
  lat: number;
  west: number | null;
  south: number | null;
  east: number | null;
  north: number | null;
  distance_m: number | null;
  score: number;
}

/**
 * Words that name what a place is rather than which one it is ("Phường Mường Thanh", "Đường Võ
 * Nguyên Giáp"). A name is also compared without its leading one, so that "muong thanh" is an exact
 * match for the ward and "vo nguyen giap" for the street. Folded, so ASCII only.
 */
const DESIGNATOR_PATTERN = '^(phuong|xa|thi tran|thi xa|thanh pho|tinh|huyen|duong|pho|ngo|hem|ban|thon|to dan pho) ';

/** Candidates kept per source before the final ranking (the distance weight can reorder them). */
const CANDIDATES_PER_SOURCE = 100;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * The ranking, in one place for every source. Bands first (each worth more than everything after it
 * can add): the whole name or the name without its designator equals the query (3), starts with it
 * (2), or a word of the name starts with it (1); then how well the query's words match words of the
 * name (`word_similarity`, typos included) and how close the whole name is to it (`similarity`, so
 * that a shorter name that says just this beats a longer one that also says it).
 */
class Ranking {
  constructor(private readonly terms: SearchTerms) {}

  private get query() {
    return sql`${this.terms.folded}::text`;
  }

  /** Index-assisted (GIN trigram): a substring, or a word similar enough (pg_trgm's threshold). */
  matches(folded: RawBuilder<string>): RawBuilder<boolean> {
    return sql<boolean>`(${folded} LIKE ${`%${escapeLike(this.terms.folded)}%`}::text OR ${folded} %> ${this.query})`;
  }

  score(folded: RawBuilder<string>): RawBuilder<number> {
    const core = sql`regexp_replace(${folded}, ${DESIGNATOR_PATTERN}::text, '')`;
    const prefix = `${escapeLike(this.terms.folded)}%`;
    return sql<number>`(
      3 * CASE
        WHEN ${folded} = ${this.query} OR ${core} = ${this.query} THEN 3
        WHEN ${folded} LIKE ${prefix}::text OR ${core} LIKE ${prefix}::text THEN 2
        WHEN ' ' || ${folded} LIKE ${`% ${escapeLike(this.terms.folded)}%`}::text THEN 1
        ELSE 0
      END
      + word_similarity(${this.query}, ${folded})
      + similarity(${this.query}, ${core})
    )::double precision`;
  }
}

/** Ties in score: the kinds in the contract's order (a commune before a street of the same name). */
const KIND_ORDER = sql.raw(`ARRAY[${searchResultKinds.map((kind) => `'${kind}'`).join(', ')}]::text[]`);

const column = (name: string) => sql<string>`${sql.ref(name)}`;

/**
 * Every source, ranked, in one round trip: communes of the boundary set in force, heritage sites,
 * emergency facilities, zones of the plans' latest versions, the base map's named streets (merged by
 * name per commune), places and points of interest. Each result gets the commune its point lies in
 * (smallest code on a shared border, like /api/locate) and, with `near`, its distance; nearness is a
 * small weight (at most 0.5, halved at 2 km), so it orders equally good matches but never puts a
 * poor match before a good one.
 */
export async function searchPlaces(db: DatabaseExecutor, terms: SearchTerms): Promise<SearchRow[]> {
  const ranking = new Ranking(terms);
  const nameFolded = column('name_folded');
  const zoneFolded = sql<string>`(${foldedSql(sql.ref('land_use_name'))} || ' ' || lower(zone_code))`;
  const near = terms.near ? makePoint(terms.near.lon, terms.near.lat) : null;
  const distance = (geometry: RawBuilder<unknown>) =>
    near ? sql<number>`ST_Distance(${geometry}::geography, ${near}::geography)` : sql<number>`NULL::double precision`;

  const result = await sql<SearchRow>`
    WITH set_in_force AS (
      SELECT id FROM (
        SELECT id, valid_to FROM boundary_set WHERE valid_from <= ${terms.date}::date
        ORDER BY valid_from DESC, created_at DESC, id LIMIT 1
      ) latest
      WHERE valid_to IS NULL OR valid_to >= ${terms.date}::date
    ),
    communes AS (
      SELECT u.id, u.code, u.name, u.name_folded, u.geom FROM admin_unit u JOIN set_in_force s ON s.id = u.boundary_set_id
      WHERE u.level IN ('commune', 'ward', 'town')
    ),
    current_plan_versions AS (
      SELECT DISTINCT ON (plan_code) plan_code, plan_version FROM planning_zone
      ORDER BY plan_code, decision_date DESC, plan_version DESC
    ),
    candidates AS (
      (SELECT 'commune'::text AS kind, id::text AS id, name, NULL::geometry AS point, geom AS shape, true AS has_extent,
              ${ranking.score(nameFolded)} AS text_score
       FROM communes WHERE ${ranking.matches(nameFolded)} ORDER BY text_score DESC LIMIT ${CANDIDATES_PER_SOURCE})
      UNION ALL
      (SELECT 'heritage', id::text, name_vi, location, coalesce(footprint, location), footprint IS NOT NULL,
              ${ranking.score(nameFolded)} AS text_score
       FROM heritage_site WHERE ${ranking.matches(nameFolded)} ORDER BY text_score DESC LIMIT ${CANDIDATES_PER_SOURCE})
      UNION ALL
      (SELECT 'facility', id::text, name, location, location, false,
              ${ranking.score(nameFolded)} AS text_score
       FROM emergency_facility WHERE ${ranking.matches(nameFolded)} ORDER BY text_score DESC LIMIT ${CANDIDATES_PER_SOURCE})
      UNION ALL
      (SELECT 'planning_zone', z.id::text, z.land_use_name || ' ' || z.zone_code, NULL, z.geom, true,
              ${ranking.score(zoneFolded)} AS text_score
       FROM planning_zone z JOIN current_plan_versions v ON v.plan_code = z.plan_code AND v.plan_version = z.plan_version
       WHERE ${ranking.matches(zoneFolded)} ORDER BY text_score DESC LIMIT ${CANDIDATES_PER_SOURCE})
      UNION ALL
      (SELECT 'street', street.id, street.name, ST_ClosestPoint(street.shape, ST_Centroid(street.shape)), street.shape, true, street.text_score
       FROM (
         SELECT min(line.id)::text AS id, line.name, ST_Collect(line.geom) AS shape, max(line.text_score) AS text_score
         FROM (
           SELECT id, name, geom, ${ranking.score(nameFolded)} AS text_score FROM basemap_line
           WHERE kind = 'road' AND name_folded IS NOT NULL AND ${ranking.matches(nameFolded)}
           ORDER BY text_score DESC LIMIT ${CANDIDATES_PER_SOURCE * 10}
         ) line
         LEFT JOIN LATERAL (
           SELECT code FROM communes c WHERE ST_Covers(c.geom, ST_PointOnSurface(line.geom)) ORDER BY code LIMIT 1
         ) street_commune ON true
         GROUP BY line.name, street_commune.code
       ) street
       ORDER BY street.text_score DESC LIMIT ${CANDIDATES_PER_SOURCE})
      UNION ALL
      (SELECT kind, id::text, name, geom, geom, false, ${ranking.score(nameFolded)} AS text_score
       FROM basemap_point WHERE ${ranking.matches(nameFolded)} ORDER BY text_score DESC LIMIT ${CANDIDATES_PER_SOURCE})
    ),
    ranked AS (
      SELECT candidates.*, ${distance(sql`candidates.shape`)} AS distance_m FROM candidates
    ),
    best AS (
      SELECT ranked.*, text_score + coalesce(0.5 / (1 + distance_m / 2000), 0) AS score FROM ranked
      ORDER BY score DESC, array_position(${KIND_ORDER}, kind), name, id
      LIMIT ${terms.limit}
    ),
    -- A point on each area once the results are chosen: ST_PointOnSurface of a commune is not free.
    placed AS (
      SELECT kind, id, name, coalesce(point, ST_PointOnSurface(shape)) AS point, shape, has_extent, distance_m, score FROM best
    )
    -- The commune of each result, once the results are chosen (point in polygon is the costly part).
    SELECT r.kind, r.id, r.name, c.code AS commune_code, c.name AS commune_name,
           ST_X(r.point) AS lon, ST_Y(r.point) AS lat,
           CASE WHEN r.has_extent THEN ST_XMin(r.shape) END AS west, CASE WHEN r.has_extent THEN ST_YMin(r.shape) END AS south,
           CASE WHEN r.has_extent THEN ST_XMax(r.shape) END AS east, CASE WHEN r.has_extent THEN ST_YMax(r.shape) END AS north,
           r.distance_m, r.score
    FROM placed r
    LEFT JOIN LATERAL (
      SELECT code, name FROM communes c WHERE ST_Covers(c.geom, r.point) ORDER BY code LIMIT 1
    ) c ON true
    ORDER BY r.score DESC, array_position(${KIND_ORDER}, r.kind), r.name, r.id
  `.execute(db);
  return result.rows;
}
