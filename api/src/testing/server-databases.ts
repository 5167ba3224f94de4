import pg from 'pg';

/**
 * Test databases on a PostGIS server: one template (migrated and seeded once per run), then a copy
 * per test worker and per test that needs its own (CREATE DATABASE … TEMPLATE is a file copy, well
 * under a second). The user in DATABASE_URL needs the CREATEDB privilege.
 */
export function serverDatabaseUrl(baseUrl: string, databaseName: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

export function baseDatabaseName(baseUrl: string): string {
  return decodeURIComponent(new URL(baseUrl).pathname.replace(/^\//, '')) || 'postgres';
}

export function quoteIdentifier(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  return `"${name}"`;
}

export async function withAdminClient<T>(baseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createServerDatabase(baseUrl: string, name: string, template?: string): Promise<void> {
  await withAdminClient(baseUrl, async (client) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdentifier(name)}${template ? ` TEMPLATE ${quoteIdentifier(template)}` : ''}`);
        return;
      } catch (error) {
        // Two workers copying the template at the same moment: one waits and tries again.
        if (attempt < 20 && /being accessed by other users/.test((error as Error).message)) {
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          continue;
        }
        throw error;
      }
    }
  });
}

export async function dropServerDatabase(baseUrl: string, name: string): Promise<void> {
  await withAdminClient(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`));
}

export async function dropServerDatabasesWithPrefix(baseUrl: string, prefix: string): Promise<void> {
  await withAdminClient(baseUrl, async (client) => {
    const result = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    for (const row of result.rows) await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(row.datname)} WITH (FORCE)`);
  });
}

/** Drops `<prefix><pid>_…` databases whose test run (that process) is no longer alive. */
export async function dropAbandonedTestDatabases(baseUrl: string, prefix: string): Promise<void> {
  await withAdminClient(baseUrl, async (client) => {
    const result = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    for (const { datname } of result.rows) {
      const pid = Number(/^(\d+)_/.exec(datname.slice(prefix.length))?.[1]);
      if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) continue;
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)} WITH (FORCE)`);
    }
  });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
