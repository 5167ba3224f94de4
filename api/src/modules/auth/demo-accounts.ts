import type { Kysely } from 'kysely';
import type { Database, UserRole } from '../../db/database-schema.ts';
import { findOfficeByCode } from '../offices/offices.service.ts';
import { createUser } from './auth.service.ts';

/**
 * Staff accounts for trying the platform on the sample data (only with DEMO_PASSWORD set): one per
 * role, and an officer of the People's Committee of Phường Điện Biên Phủ and of the power company.
 */
export const demoAccounts: ReadonlyArray<{ email: string; displayName: string; role: UserRole; officeCode: string | null }> = [
  { email: 'ioc@demo.bandoso.vn', displayName: 'Trực ban IOC', role: 'ioc_operator', officeCode: null },
  { email: 'admin@demo.bandoso.vn', displayName: 'Quản trị hệ thống', role: 'admin', officeCode: null },
  { email: 'quyhoach@demo.bandoso.vn', displayName: 'Chuyên viên quy hoạch', role: 'planner', officeCode: null },
  { email: 'canbo.dienbienphu@demo.bandoso.vn', displayName: 'Cán bộ UBND phường Điện Biên Phủ', role: 'officer', officeCode: 'UBND-03127' },
  { email: 'dienluc@demo.bandoso.vn', displayName: 'Cán bộ Điện lực Điện Biên', role: 'officer', officeCode: 'DIENLUC-DB' },
];

export async function seedDemoAccounts(db: Kysely<Database>, password: string): Promise<string[]> {
  const created: string[] = [];
  for (const account of demoAccounts) {
    const office = account.officeCode ? await findOfficeByCode(db, account.officeCode) : undefined;
    if (account.officeCode && !office) continue;
    await createUser(db, { email: account.email, displayName: account.displayName, password, role: account.role, officeId: office?.id ?? null }, 'keep');
    created.push(account.email);
  }
  return created;
}
