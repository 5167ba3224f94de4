import { sql, type Kysely } from 'kysely';

// Frozen once merged: never import application code here, never edit after release.
//
// Statistics of citizen reports (issue 3, §8) as incremental aggregates, so that a statistics query
// reads a number of rows bounded by (groups × time buckets of the period), never by the number of
// reports.
//
// report_statistics holds, per dimension (unit | office | category), per time bucket (a day, and the
// month that contains it, of the report's creation in Asia/Ho_Chi_Minh) and per key, the counters
// of the reports created in that bucket, *as they are now* (a cohort view: a report created in March
// and resolved in May counts as resolved in March's row), plus two histograms of durations
// (created → acknowledged, created → resolved) from which medians are read. A period is read as its
// whole months (month rows) plus the days before and after them (day rows): at most about 60 + the
// number of months rows per group, whatever the number of reports.
//
// Statement-level triggers on `report` (with transition tables) subtract the old rows' contribution
// and add the new rows', in the writer's transaction: every write path (intake, workflow, deadline
// watcher, imports, a DBA's UPDATE) keeps the aggregates exact, and a report counts the moment its
// transaction commits. The same "contribution" SQL rebuilds everything (report_statistics_regroup).
//
// The unit key is the commune/ward under the *statistics boundary set* (report_statistics_state),
// normally the set in force today: for a report routed under that set it is its own unit_code; for
// a report routed under an older set (before the 2025 reform) it is the unit of the statistics set
// that covers the report's location (smallest code on a shared border; the routing unit when no unit
// covers it). Open reports keep their routing (report.unit_code is never touched); only statistics
// are regrouped. When the set in force changes, or the units of the statistics set are re-imported,
// the application calls report_statistics_regroup(), which rebuilds the table from the reports.
//
// report_statistics_fact(report, statistics set) is the one definition of what a report contributes;
// the triggers, the rebuild and the application's list of overdue reports all use it.

/**
 * Histogram buckets of a duration in minutes: bucket 0 is [0, 1) (and anything negative); bucket k
 * (1 ≤ k ≤ 160) is [2^((k-1)/8), 2^(k/8)) minutes — eight buckets per doubling, so a median read by
 * interpolation inside its bucket is off by less than 2^(1/8) - 1 ≈ 9.05 %; bucket 161 is everything
 * from 2^20 minutes (≈ 728 days) on. The application mirrors these edges (stats-histogram.ts).
 */
const HISTOGRAM_BUCKETS = 162;
const BUCKETS_PER_DOUBLING = 8;
const DIGITS_PER_BUCKET = 8;

const openStatuses = `'received', 'accepted', 'in_progress', 'waiting_for_citizen', 'transferred', 'reopened'`;

const counters = ['received', 'open', 'overdue_open', 'resolved', 'resolved_on_time', 'rejected', 'duplicates', 'acknowledged', 'rated', 'satisfied'] as const;

const aggregateKey = 'dimension, grain, period_start, key';

/**
 * Adds the contributions of `changes` (rows of report_statistics_fact plus `sign`: +1 adds, -1
 * removes) to report_statistics, one row per (dimension, grain, period_start, key). Keys are written
 * in sorted order, so concurrent writers lock aggregate rows in the same order and cannot deadlock
 * each other.
 */
function upsertContributions(changes: string): string {
  return `
    INSERT INTO report_statistics AS s (${aggregateKey}, ${counters.join(', ')}, acknowledge_histogram, resolve_histogram)
    SELECT d.dimension, g.grain, g.period_start, d.key,
           ${counters.map((counter) => `sum(c.sign * c.${counter})::integer`).join(',\n           ')},
           coalesce(sum(c.sign * report_statistics_bucket_weight(c.acknowledge_bucket)), 0),
           coalesce(sum(c.sign * report_statistics_bucket_weight(c.resolve_bucket)), 0)
    -- OFFSET 0: the facts of each report are computed once, not once per aggregate row.
    FROM (SELECT * FROM (${changes}) AS listed OFFSET 0) AS c
    CROSS JOIN LATERAL (VALUES ('day', c.day), ('month', date_trunc('month', c.day)::date)) AS g (grain, period_start)
    CROSS JOIN LATERAL (VALUES ('unit', c.unit_key), ('office', c.office_key), ('category', c.category_key)) AS d (dimension, key)
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (${aggregateKey}) DO UPDATE SET
      ${counters.map((counter) => `${counter} = s.${counter} + excluded.${counter}`).join(',\n      ')},
      acknowledge_histogram = s.acknowledge_histogram + excluded.acknowledge_histogram,
      resolve_histogram = s.resolve_histogram + excluded.resolve_histogram`;
}

/** The facts of every row of `rows`, with `statisticsSet` the boundary set that names the unit keys. */
const factsOf = (rows: string, statisticsSet: string) => `SELECT f.* FROM ${rows} AS r CROSS JOIN LATERAL report_statistics_fact(r, ${statisticsSet}) AS f`;

export async function up(db: Kysely<any>): Promise<void> {
  // Which boundary set names the `unit` keys. One row.
  await sql`
    CREATE TABLE report_statistics_state (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      boundary_set_id uuid REFERENCES boundary_set (id) ON DELETE SET NULL,
      -- Set when units of that set are inserted, changed or deleted: the unit keys of reports routed
      -- under older sets may have moved, so the next read regroups.
      units_changed boolean NOT NULL DEFAULT false,
      regrouped_at timestamptz
    )`.execute(db);

  await sql`
    CREATE TABLE report_statistics (
      dimension text NOT NULL CHECK (dimension IN ('unit', 'office', 'category')),
      grain text NOT NULL CHECK (grain IN ('day', 'month')),
      -- The day, or the first day of the month, of the reports' creation in Asia/Ho_Chi_Minh.
      period_start date NOT NULL,
      -- unit: an admin_unit code; office: office.id; category: report_category.code.
      key text NOT NULL,
      received integer NOT NULL,
      open integer NOT NULL,
      overdue_open integer NOT NULL,
      resolved integer NOT NULL,
      resolved_on_time integer NOT NULL,
      rejected integer NOT NULL,
      duplicates integer NOT NULL,
      acknowledged integer NOT NULL,
      rated integer NOT NULL,
      satisfied integer NOT NULL,
      -- Histograms of minutes, packed: the count of bucket b is the b-th group of eight decimal digits
      -- from the right (see report_statistics_bucket_weight).
      -- (No CHECK >= 0: a statistics inconsistency must never make a citizen's write fail.)
      acknowledge_histogram numeric NOT NULL CHECK (scale(acknowledge_histogram) = 0),
      resolve_histogram numeric NOT NULL CHECK (scale(resolve_histogram) = 0),
      PRIMARY KEY (dimension, grain, period_start, key)
    ) WITH (fillfactor = 75)`.execute(db); // room on each page for HOT updates: every write updates rows in place

  await sql`
    CREATE FUNCTION report_statistics_minutes_bucket(minutes double precision) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
      SELECT CASE
        WHEN minutes IS NULL THEN NULL
        WHEN minutes < 1 THEN 0
        ELSE least(${sql.lit(HISTOGRAM_BUCKETS - 1)}, 1 + floor(${sql.lit(BUCKETS_PER_DOUBLING)} * ln(minutes) / ln(2))::integer)
      END
    $$`.execute(db);

  // A histogram is a numeric whose b-th group of DIGITS_PER_BUCKET decimal digits (from the right)
  // is the count of bucket b: adding one report to bucket b adds 10^(8b). So histograms are summed by
  // plain numeric addition — sum() in a query, + in an upsert — exactly, in C, without arrays or
  // PL/pgSQL, and a row stores only the digits between its lowest and highest non-empty bucket.
  // Exact as long as fewer than 10^8 reports of one group fall in one bucket.
  await sql`
    CREATE FUNCTION report_statistics_bucket_weight(bucket integer) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
      SELECT trunc(power(10::numeric, ${sql.lit(DIGITS_PER_BUCKET)} * bucket))
    $$`.execute(db);

  // What one report contributes, with the unit under `statistics_set_id` (see the header). Definitions
  // (also in the README, "Statistics"):
  // open = received, accepted, in_progress, waiting_for_citizen, transferred or reopened;
  // overdue_open = open and flagged overdue by the deadline watcher (a missed acknowledgement or
  // handling deadline); resolved_on_time = resolved no later than its handling deadline (due_at as
  // it stood at resolution: paused time excluded, restarted by a transfer or a reopening);
  // rejected = refused as not eligible / not enough information (a "not our responsibility"
  // refusal is a transfer: the report stays open with the new office); duplicates are their own
  // counter; acknowledged = an office has acknowledged it (accept, start, or any answer).
  await sql.raw(`
    CREATE FUNCTION report_statistics_fact(r report, statistics_set_id uuid)
    RETURNS TABLE (
      day date, unit_key text, office_key text, category_key text,
      ${counters.map((counter) => `${counter} integer`).join(', ')},
      acknowledge_bucket integer, resolve_bucket integer)
    LANGUAGE sql STABLE
    AS $$
      SELECT
        (r.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
        CASE
          WHEN statistics_set_id IS NULL OR statistics_set_id = r.boundary_set_id THEN r.unit_code
          ELSE coalesce((
            SELECT u.code FROM admin_unit u
            WHERE u.boundary_set_id = statistics_set_id AND u.level IN ('commune', 'ward', 'town') AND ST_Covers(u.geom, r.location)
            ORDER BY u.code
            LIMIT 1), r.unit_code)
        END,
        r.office_id::text,
        r.category_code,
        1,
        (r.status IN (${openStatuses}))::integer,
        (r.status IN (${openStatuses}) AND r.overdue)::integer,
        (r.status = 'resolved')::integer,
        coalesce(r.status = 'resolved' AND (r.due_at IS NULL OR r.resolved_at <= r.due_at), false)::integer,
        (r.status = 'rejected')::integer,
        (r.status = 'duplicate')::integer,
        (r.acknowledged_at IS NOT NULL)::integer,
        (r.rating IS NOT NULL)::integer,
        coalesce(r.rating = 'satisfied', false)::integer,
        report_statistics_minutes_bucket(extract(epoch FROM r.acknowledged_at - r.created_at)::double precision / 60),
        CASE WHEN r.status = 'resolved' THEN report_statistics_minutes_bucket(extract(epoch FROM r.resolved_at - r.created_at)::double precision / 60) END
    $$`).execute(db);

  await sql.raw(`
    CREATE FUNCTION report_statistics_on_report_change() RETURNS trigger
    LANGUAGE plpgsql
    -- The planner cannot size transition tables: without this a one-row write could pay for JIT compilation.
    SET jit = off
    AS $$
    DECLARE
      statistics_set uuid;
    BEGIN
      SELECT boundary_set_id INTO statistics_set FROM report_statistics_state;
      IF TG_OP = 'INSERT' THEN
        ${upsertContributions(`SELECT 1 AS sign, n.* FROM (${factsOf('new_rows', 'statistics_set')}) AS n`)};
      ELSIF TG_OP = 'UPDATE' THEN
        -- Only what changed: a row whose contribution is the same before and after adds nothing.
        ${upsertContributions(`
          WITH n AS (${factsOf('new_rows', 'statistics_set')}), o AS (${factsOf('old_rows', 'statistics_set')})
          SELECT 1 AS sign, added.* FROM (TABLE n EXCEPT ALL TABLE o) AS added
          UNION ALL
          SELECT -1 AS sign, removed.* FROM (TABLE o EXCEPT ALL TABLE n) AS removed`)};
      ELSIF TG_OP = 'DELETE' THEN
        ${upsertContributions(`SELECT -1 AS sign, o.* FROM (${factsOf('old_rows', 'statistics_set')}) AS o`)};
      END IF;
      RETURN NULL;
    END
    $$`).execute(db);
  await sql`
    CREATE TRIGGER report_statistics_after_insert AFTER INSERT ON report
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_statistics_on_report_change()`.execute(db);
  await sql`
    CREATE TRIGGER report_statistics_after_update AFTER UPDATE ON report
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_statistics_on_report_change()`.execute(db);
  await sql`
    CREATE TRIGGER report_statistics_after_delete AFTER DELETE ON report
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_statistics_on_report_change()`.execute(db);

  await sql`
    CREATE FUNCTION report_statistics_on_report_truncate() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
      DELETE FROM report_statistics;
      RETURN NULL;
    END
    $$`.execute(db);
  await sql`CREATE TRIGGER report_statistics_after_truncate AFTER TRUNCATE ON report FOR EACH STATEMENT EXECUTE FUNCTION report_statistics_on_report_truncate()`.execute(db);

  // Units of the statistics set changed (a re-import): mark the grouping stale.
  await sql`
    CREATE FUNCTION report_statistics_on_unit_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE report_statistics_state SET units_changed = true WHERE NOT units_changed AND boundary_set_id = OLD.boundary_set_id;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE report_statistics_state SET units_changed = true WHERE NOT units_changed AND boundary_set_id = NEW.boundary_set_id;
      END IF;
      RETURN NULL;
    END
    $$`.execute(db);
  await sql`
    CREATE TRIGGER report_statistics_after_unit_change AFTER INSERT OR UPDATE OF boundary_set_id, code, level, geom OR DELETE ON admin_unit
    FOR EACH ROW EXECUTE FUNCTION report_statistics_on_unit_change()`.execute(db);
  await sql`
    CREATE FUNCTION report_statistics_on_unit_truncate() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
      UPDATE report_statistics_state SET units_changed = true;
      RETURN NULL;
    END
    $$`.execute(db);
  await sql`CREATE TRIGGER report_statistics_after_unit_truncate AFTER TRUNCATE ON admin_unit FOR EACH STATEMENT EXECUTE FUNCTION report_statistics_on_unit_truncate()`.execute(db);

  // Rebuilds every aggregate under `target` (the boundary set whose units name the unit keys; NULL:
  // each report's routing unit). With `only_if_stale`, does nothing (and answers false) when the
  // grouping already is `target` and its units did not change. Report writers wait meanwhile (SHARE
  // lock on report), so no write is counted twice or lost: the cost, proportional to the number of
  // reports, is paid only when boundaries change.
  await sql.raw(`
    CREATE FUNCTION report_statistics_regroup(target uuid, only_if_stale boolean) RETURNS boolean
    LANGUAGE plpgsql
    SET jit = off
    AS $$
    DECLARE
      current_state report_statistics_state;
    BEGIN
      LOCK TABLE report IN SHARE MODE;
      SELECT * INTO current_state FROM report_statistics_state FOR UPDATE;
      IF only_if_stale AND FOUND AND current_state.boundary_set_id IS NOT DISTINCT FROM target AND NOT current_state.units_changed THEN
        RETURN false;
      END IF;
      INSERT INTO report_statistics_state (singleton, boundary_set_id, units_changed, regrouped_at)
      VALUES (true, target, false, clock_timestamp())
      ON CONFLICT (singleton) DO UPDATE SET boundary_set_id = excluded.boundary_set_id, units_changed = false, regrouped_at = excluded.regrouped_at;
      DELETE FROM report_statistics;
      ${upsertContributions(`SELECT 1 AS sign, n.* FROM (${factsOf('report', 'target')}) AS n`)};
      RETURN true;
    END
    $$`).execute(db);

  // Existing reports (a database upgraded to this migration), grouped by the set in force today.
  await sql`
    SELECT report_statistics_regroup((
      SELECT id FROM (
        SELECT id, valid_to FROM boundary_set
        WHERE valid_from <= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
        ORDER BY valid_from DESC, created_at DESC, id
        LIMIT 1) AS latest
      WHERE valid_to IS NULL OR valid_to >= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), false)`.execute(db);

  // The public list of open overdue reports (GET /api/stats/overdue) reads only these rows.
  await sql.raw(`CREATE INDEX report_open_overdue_idx ON report (created_at) WHERE overdue AND status IN (${openStatuses})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS report_open_overdue_idx`.execute(db);
  await sql`DROP TRIGGER IF EXISTS report_statistics_after_unit_truncate ON admin_unit`.execute(db);
  await sql`DROP TRIGGER IF EXISTS report_statistics_after_unit_change ON admin_unit`.execute(db);
  for (const trigger of ['report_statistics_after_truncate', 'report_statistics_after_delete', 'report_statistics_after_update', 'report_statistics_after_insert']) {
    await sql`DROP TRIGGER IF EXISTS ${sql.id(trigger)} ON report`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS report_statistics_regroup(uuid, boolean)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS report_statistics_on_unit_truncate()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS report_statistics_on_unit_change()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS report_statistics_on_report_truncate()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS report_statistics_on_report_change()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS report_statistics_fact(report, uuid)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS report_statistics_bucket_weight(integer)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS report_statistics_minutes_bucket(double precision)`.execute(db);
  await sql`DROP TABLE IF EXISTS report_statistics`.execute(db);
  await sql`DROP TABLE IF EXISTS report_statistics_state`.execute(db);
}
