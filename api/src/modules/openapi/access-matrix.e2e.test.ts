import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../../db/database-schema.ts';
import { bearerToken, createTestDatabase, createTestUser, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import { documentedOperations, fillPath } from './openapi-test-kit.ts';

/**
 * The access matrix: every caller (anonymous and each role) × every operation of the published
 * OpenAPI document. An operation with `x-roles` answers 401 to an anonymous caller, 403 to a role it
 * does not list, and neither to a role it lists (that caller gets past the gate to validation, a
 * 404 for an unknown id, or the answer). An operation without `x-roles` is public: no caller is
 * refused. What a listed role may then see (an officer only their office's reports, contact only
 * with consent) is tested with real reports in report-workflow.e2e.test.ts.
 *
 * On a database of its own: the listed roles' requests reach the handlers.
 */
let database: TestDatabase;
let server: TestServer;
const roles: UserRole[] = ['citizen', 'officer', 'ioc_operator', 'planner', 'admin'];
const tokens = new Map<string, string | null>();

/** Operations with an authentication of their own, tested in their modules: sign-in, and the signed inbound webhook. */
const ownAuthentication = [/^\/api\/auth\//, /^\/api\/webhooks\/inbound\//];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  tokens.set('anonymous', null);
  for (const role of roles) {
    const user = await createTestUser(database.db, role, role === 'officer' ? 'UBND-03127' : null);
    tokens.set(role, await bearerToken(server.baseUrl, user));
  }
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('access matrix: every caller × every operation', () => {
  it('refuses exactly the callers an operation does not admit', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    let guarded = 0;
    for (const { template, method, jsonBody, roles: admitted } of await documentedOperations(server.baseUrl)) {
      if (ownAuthentication.some((pattern) => pattern.test(template))) continue;
      if (admitted) guarded += 1;
      for (const [caller, token] of tokens) {
        // The live feed stays open: ask for its headers only.
        const controller = new AbortController();
        const response = await fetch(`${server.baseUrl}${fillPath(template)}`, {
          method,
          signal: controller.signal,
          headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(jsonBody ? { 'Content-Type': 'application/json' } : {}) },
          ...(jsonBody ? { body: '{}' } : {}),
        });
        controller.abort();
        checked += 1;
        const expected = !admitted ? 'admitted' : caller === 'anonymous' ? 401 : admitted.includes(caller) ? 'admitted' : 403;
        const ok = expected === 'admitted' ? response.status !== 401 && response.status !== 403 && response.status < 500 : response.status === expected;
        if (!ok) mismatches.push(`${method} ${template} as ${caller}: expected ${expected}, got ${response.status}`);
      }
    }
    console.log(`access matrix: ${checked} calls (${tokens.size} callers), ${guarded} operations with roles`);
    expect(guarded).toBeGreaterThanOrEqual(14);
    expect(mismatches).toEqual([]);
  }, 120_000);
});
