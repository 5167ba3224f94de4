import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, repositoryRoot, type TestDatabase } from '../testing/index.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

/** Tables PostGIS and the migrator own: not the application's. */
const NOT_OURS = new Set(['spatial_ref_sys', 'kysely_migration', 'kysely_migration_lock']);

/**
 * The `Database` interface of database-schema.ts as table → column names, read with the TypeScript
 * compiler (types do not exist at run time): what the compiler checks every query against.
 */
function declaredTables(): Map<string, string[]> {
  const file = path.join(repositoryRoot, 'api/src/db/database-schema.ts');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const names = (declaration: ts.InterfaceDeclaration) => declaration.members.filter(ts.isPropertySignature).map((member) => (member.name as ts.Identifier).text);
  const tables = new Map<string, string[]>();
  for (const member of interfaces.get('Database')!.members.filter(ts.isPropertySignature)) {
    const typeName = ((member.type as ts.TypeReferenceNode).typeName as ts.Identifier).text;
    const declaration = interfaces.get(typeName);
    if (!declaration) throw new Error(`Database.${(member.name as ts.Identifier).text}: ${typeName} is not an interface of database-schema.ts`);
    tables.set((member.name as ts.Identifier).text, names(declaration).sort());
  }
  return tables;
}

describe('the table types (database-schema.ts)', () => {
  it('name every table of the migrated database, with exactly its columns', async () => {
    const result = await sql<{ table_name: string; column_name: string }>`
      SELECT c.table_name, c.column_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.column_name`.execute(database.db);
    const migrated = new Map<string, string[]>();
    for (const row of result.rows) {
      if (NOT_OURS.has(row.table_name)) continue;
      migrated.set(row.table_name, [...(migrated.get(row.table_name) ?? []), row.column_name]);
    }
    const declared = declaredTables();
    expect([...declared.keys()].sort()).toEqual([...migrated.keys()].sort());
    for (const [table, columns] of migrated) expect(declared.get(table), table).toEqual(columns.sort());
  });
});
