import { sql, type Kysely } from 'kysely';

/**
 * What a backup reads of a database: its application tables and their row counts, its migrations and
 * PostgreSQL's version. The same statements run through Kysely (embedded, or a restored server
 * database) and through a pg client inside pg_dump's exported snapshot: hence SQL text and a `Query`.
 */
export type Query = <Row>(text: string) => Promise<Row[]>;

export const kyselyQuery =
  (db: Kysely<unknown>): Query =>
  async <Row>(text: string) =>
    (await sql.raw<Row>(text).execute(db)).rows;

export interface DatabaseFacts {
  counts: Record<string, number>;
  migration: string | null;
  migrations: number;
  postgresVersion: string;
}

/** Every table of the application (PostGIS's own, such as spatial_ref_sys, are the extension's). */
export const applicationTablesSql = `
  SELECT n.nspname AS schema, c.relname AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  ORDER BY 1, 2`;

export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** `schema.table` → the quoted name to query. */
export function qualifiedTable(key: string): string {
  const dot = key.indexOf('.');
  return `${quoteIdentifier(key.slice(0, dot))}.${quoteIdentifier(key.slice(dot + 1))}`;
}

export async function readDatabaseFacts(query: Query): Promise<DatabaseFacts> {
  const counts: Record<string, number> = {};
  for (const table of await query<{ schema: string; name: string }>(applicationTablesSql)) {
    const key = `${table.schema}.${table.name}`;
    const [row] = await query<{ rows: string }>(`SELECT count(*)::text AS rows FROM ${qualifiedTable(key)}`);
    counts[key] = Number(row?.rows ?? 0);
  }
  const [version] = await query<{ server_version: string }>('SHOW server_version');
  const [exists] = await query<{ present: boolean }>(`SELECT to_regclass('public.kysely_migration') IS NOT NULL AS present`);
  const applied = exists?.present ? await query<{ name: string }>('SELECT name FROM public.kysely_migration ORDER BY name') : [];
  return { counts, migration: applied.at(-1)?.name ?? null, migrations: applied.length, postgresVersion: version?.server_version ?? 'unknown' };
}

