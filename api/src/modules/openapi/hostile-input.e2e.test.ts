import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, createTestDatabase, createTestUser, startTestServer, type TestDatabase, type TestServer } from '../../testing/index.ts';
import { documentedOperations, fillPath } from './openapi-test-kit.ts';

/**
 * Every operation of the published OpenAPI document, called with hostile values in each of its path
 * parameters, query parameters, headers and JSON body properties, as an administrator (so that role
 * checks do not stop the request before its validation). "5xx means a bug": none may answer 5xx, and
 * every refusal must be the API's JSON error, with a message a person can act on.
 *
 * Runs on a database of its own: some of these requests are valid enough to change things.
 */
let database: TestDatabase;
let server: TestServer;
let token: string;

const hostileText = [
  '',
  ' ',
  'x',
  '-1',
  '0',
  '1e309',
  'NaN',
  '2025-13-01',
  '0000-01-01',
  '0001-01-01T00:00:00+07:00',
  '2025-02-30T25:61:00Z',
  "' OR 1=1 --",
  "'; DROP TABLE report; --",
  'nul\u0000byte',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  '🙂🙂',
  '\ud800',
  'x'.repeat(5000),
];
const hostileJson: unknown[] = [null, 0, -1, 1e308, true, '', 'x'.repeat(20_000), "'; DROP TABLE report; --", 'nul\u0000byte', [], {}, { $ne: 1 }, [[[[[[1]]]]]]];
const hostileBodies = ['null', '[]', '"x"', '{}', '{"unexpected":1}', '{', '{"a":'.repeat(200) + '1' + '}'.repeat(200)];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  token = await bearerToken(server.baseUrl, await createTestUser(database.db, 'admin'));
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

interface Attempt {
  method: string;
  path: string;
  query?: URLSearchParams;
  headers?: Record<string, string>;
  body?: string;
}

async function call(attempt: Attempt): Promise<string | null> {
  const url = `${server.baseUrl}${attempt.path}${attempt.query ? `?${attempt.query}` : ''}`;
  const response = await fetch(url, {
    method: attempt.method,
    headers: { Authorization: `Bearer ${token}`, ...(attempt.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...attempt.headers },
    ...(attempt.body !== undefined ? { body: attempt.body } : {}),
  });
  const text = await response.text();
  const what = `${attempt.method} ${url.replace(server.baseUrl, '').slice(0, 160)}${attempt.body !== undefined ? ` body ${attempt.body.slice(0, 80)}` : ''}`;
  if (response.status >= 500) return `${what} → ${response.status} ${text.slice(0, 200)}`;
  if (response.status >= 400 && response.headers.get('content-type')?.includes('json')) {
    const error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    if (!error?.code || !error.message) return `${what} → ${response.status} without { error: { code, message } }: ${text.slice(0, 200)}`;
  }
  return null;
}

describe('hostile input on every documented operation', () => {
  it('never answers 5xx, and refuses with the API error format', async () => {
    const operations = await documentedOperations(server.baseUrl);
    const failures: string[] = [];
    let attempts = 0;
    // Signing out would end the token the rest of the run uses.
    for (const { template, method, parameters, jsonBody } of operations.filter((operation) => operation.template !== '/api/auth/logout')) {
      const fill = (values: Record<string, string>) => fillPath(template, values);
      const run = async (attempt: Attempt) => {
        attempts += 1;
        const failure = await call({ ...attempt, method });
        if (failure) failures.push(failure);
      };
      const defaultBody = jsonBody ? '{}' : undefined;
      for (const parameter of parameters) {
        for (const value of hostileText) {
          // A lone surrogate cannot be written in a URL's UTF-8; URLSearchParams sends U+FFFD for it.
          if (parameter.in === 'path' && /[\ud800-\udfff]/.test(value)) continue;
          if (parameter.in === 'path') await run({ method, path: fill({ [parameter.name]: value }), ...(defaultBody ? { body: defaultBody } : {}) });
          else if (parameter.in === 'query') await run({ method, path: fill({}), query: new URLSearchParams([[parameter.name, value]]) });
          else if (parameter.in === 'header' && /^[\x20-\x7e]*$/.test(value)) await run({ method, path: fill({}), headers: { [parameter.name]: value }, ...(defaultBody ? { body: defaultBody } : {}) });
        }
        if (parameter.in === 'query') await run({ method, path: fill({}), query: new URLSearchParams([[parameter.name, '1'], [parameter.name, '2']]) });
      }
      if (jsonBody) {
        for (const body of hostileBodies) await run({ method, path: fill({}), body });
        const properties = new Set([...Object.keys(jsonBody.properties ?? {}), ...(jsonBody.oneOf ?? []).flatMap((variant) => Object.keys(variant.properties ?? {}))]);
        for (const property of properties) {
          for (const value of hostileJson) await run({ method, path: fill({}), body: JSON.stringify({ [property]: value }) });
        }
      }
    }
    console.log(`hostile input: ${attempts} requests over ${new Set(operations.map((operation) => operation.template)).size} paths, ${failures.length} failures`);
    expect(attempts).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  }, 300_000);
});
