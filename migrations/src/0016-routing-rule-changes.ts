import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// Routing holds the offices' areas and the report categories in memory (every routing preview and
// every submission reads them) and uses them only while their change counters in
// `tile_source_version` are those of its snapshot (see 0005). Until now the offices' counter was
// bumped by the application's office import only, so an office edited in psql went unseen, and the
// categories had no counter at all. Statement triggers count every write, from any path, inside the
// writer's transaction, and announce it on `data_changed` (no extent: these rows have no geometry):
//
//   office, office_coverage           → 'office'
//   report_category, report_priority  → 'report_rules' (a category's row carries its priority's deadline)
//
// A statement that changes no row (an `INSERT … ON CONFLICT DO NOTHING` of defaults at every start)
// counts nothing, so that other processes do not reload for nothing.

const counted: ReadonlyArray<{ table: string; source: string }> = [
  { table: 'office', source: 'office' },
  { table: 'office_coverage', source: 'office' },
  { table: 'report_category', source: 'report_rules' },
  { table: 'report_priority', source: 'report_rules' },
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO tile_source_version (source) VALUES ('office'), ('report_rules') ON CONFLICT (source) DO NOTHING`.execute(db);
  await sql`
    CREATE FUNCTION routing_rules_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' OR EXISTS (SELECT 1 FROM changed_rows) THEN
        PERFORM tile_source_bump(TG_ARGV[0], NULL::box2d);
      END IF;
      RETURN NULL;
    END
    $$`.execute(db);
  for (const { table, source } of counted) {
    // One trigger per event: PostgreSQL allows a transition table only on a single-event trigger.
    for (const [event, transition] of [
      ['insert', 'NEW TABLE AS changed_rows'],
      ['update', 'NEW TABLE AS changed_rows'],
      ['delete', 'OLD TABLE AS changed_rows'],
    ] as const) {
      await sql
        .raw(`CREATE TRIGGER ${table}_rules_${event} AFTER ${event.toUpperCase()} ON ${table} REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION routing_rules_changed('${source}')`)
        .execute(db);
    }
    await sql.raw(`CREATE TRIGGER ${table}_rules_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION routing_rules_changed('${source}')`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table } of counted) {
    for (const event of ['insert', 'update', 'delete', 'truncate']) {
      await sql.raw(`DROP TRIGGER IF EXISTS ${table}_rules_${event} ON ${table}`).execute(db);
    }
  }
  await sql`DROP FUNCTION IF EXISTS routing_rules_changed()`.execute(db);
  await sql`DELETE FROM tile_source_version WHERE source = 'report_rules'`.execute(db);
}
