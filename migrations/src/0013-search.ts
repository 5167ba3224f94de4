import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// Search (issue 16): `GET /api/search` ranks names with pg_trgm over the folded names
// (`name_folded` = foldVietnamese(name), written by the imports), so a query folded the same way in
// TypeScript needs no `unaccent` and no locale. GIN trigram indexes serve both the substring
// `LIKE '%…%'` and the word-similarity operator `<%` that pick the candidates.
// Planning zones have no folded name and are few (one plan's zones): they are folded at query time.

const trigramIndexes: ReadonlyArray<{ name: string; table: string; where?: string }> = [
  { name: 'admin_unit_name_folded_trgm_idx', table: 'admin_unit' },
  { name: 'heritage_site_name_folded_trgm_idx', table: 'heritage_site' },
  { name: 'emergency_facility_name_folded_trgm_idx', table: 'emergency_facility' },
  // Only named roads are searched (as streets); only they need the index.
  { name: 'basemap_line_name_folded_trgm_idx', table: 'basemap_line', where: `kind = 'road' AND name_folded IS NOT NULL` },
  { name: 'basemap_point_name_folded_trgm_idx', table: 'basemap_point' },
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  for (const index of trigramIndexes) {
    const where = index.where ? sql` WHERE ${sql.raw(index.where)}` : sql``;
    await sql`CREATE INDEX ${sql.id(index.name)} ON ${sql.id(index.table)} USING gin (name_folded gin_trgm_ops)${where}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [...trigramIndexes].reverse()) await sql`DROP INDEX IF EXISTS ${sql.id(index.name)}`.execute(db);
  // The extension stays: dropping it could break a server's other users of it, and it holds no data.
}
