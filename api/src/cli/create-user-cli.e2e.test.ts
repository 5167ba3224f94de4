import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../modules/auth/auth.service.ts';
import { createCliTestDatabase, runEntryPoint, type CliTestDatabase } from '../testing/index.ts';

const cli = 'api/src/cli/create-user-cli.ts';
const password = 'mat-khau-quan-tri-dai';

describe('npm run create-user (the first administrator of a deployment)', () => {
  let target: CliTestDatabase;
  let environment: Record<string, string>;

  beforeAll(async () => {
    target = await createCliTestDatabase('create-user');
    environment = target.environment;
  });
  afterAll(() => target?.close());

  it('refuses what it cannot create, before touching the database, and says why', async () => {
    const short = await runEntryPoint(cli, ['--email', 'admin@dienbien.gov.vn', '--role', 'admin', '--name', 'Quản trị'], environment, 60_000, 'ngan\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/password must be at least 10 characters/);
    const officer = await runEntryPoint(cli, ['--email', 'canbo@dienbien.gov.vn', '--role', 'officer', '--name', 'Cán bộ'], environment, 60_000, `${password}\n`);
    expect(officer.code).toBe(1);
    expect(officer.stderr).toMatch(/--office: officeCode is required for officers|--office: --office is required/);
    const usage = await runEntryPoint(cli, ['--email', 'x@dienbien.gov.vn'], environment, 60_000, '');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Give --email, --role and --name/);
    if (!process.env.DATABASE_URL) expect(fs.existsSync(environment.DATA_DIR!)).toBe(false);
  });

  it('creates an administrator who can sign in, an officer of a seeded office, and refuses the same e-mail twice', async () => {
    const admin = await runEntryPoint(cli, ['--email', 'Admin@DienBien.gov.vn', '--role', 'admin', '--name', 'Quản trị hệ thống'], environment, 120_000, `${password}\n`);
    expect(admin.stderr).not.toMatch(/Error/);
    expect(admin.code).toBe(0);
    expect(admin.stdout).toMatch(/Created admin admin@dienbien\.gov\.vn\./);

    const officer = await runEntryPoint(
      cli,
      ['--email', 'canbo@dienbien.gov.vn', '--role', 'officer', '--name', 'Cán bộ UBND phường Điện Biên Phủ', '--office', 'UBND-03127'],
      environment,
      60_000,
      `${password}\n`,
    );
    expect(officer.code).toBe(0);

    const again = await runEntryPoint(cli, ['--email', 'admin@dienbien.gov.vn', '--role', 'planner', '--name', 'Lần hai'], environment, 60_000, `${password}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/An account with the e-mail admin@dienbien\.gov\.vn already exists/);

    await target.use(async (database) => {
      const signedIn = await signIn(database.db, 'admin@dienbien.gov.vn', password, 'bearer');
      expect(signedIn.principal.role).toBe('admin');
      const accounts = await sql<{ email: string; role: string; office: string | null }>`
        SELECT u.email, u.role, o.code AS office FROM app_user u LEFT JOIN office o ON o.id = u.office_id
        WHERE u.email LIKE '%@dienbien.gov.vn' ORDER BY u.email`.execute(database.db);
      expect(accounts.rows).toEqual([
        { email: 'admin@dienbien.gov.vn', role: 'admin', office: null },
        { email: 'canbo@dienbien.gov.vn', role: 'officer', office: 'UBND-03127' },
      ]);
    });
  }, 240_000);
});
