import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSharedTestDatabase, repositoryRoot, startTestServer, type TestServer } from '../../testing/index.ts';
import { operations } from './openapi.operations.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(await getSharedTestDatabase());
});
afterAll(() => server.close());

/** Every `/api` route declared in the modules' route files, as "METHOD /openapi/{path}". */
function declaredRoutes(): string[] {
  const modules = path.join(repositoryRoot, 'api/src/modules');
  const routes: string[] = [];
  for (const folder of fs.readdirSync(modules)) {
    for (const file of fs.readdirSync(path.join(modules, folder)).filter((name) => name.endsWith('.routes.ts'))) {
      const source = fs.readFileSync(path.join(modules, folder, file), 'utf8');
      for (const match of source.matchAll(/router\.(get|post|put|patch|delete)\(\s*'(\/api\/[^']+)'/g)) {
        routes.push(`${match[1]!.toUpperCase()} ${match[2]!.replace(/:(\w+)/g, '{$1}')}`);
      }
    }
  }
  return routes.sort();
}

describe('GET /api/openapi.json', () => {
  it('describes every /api route of every module', () => {
    const documented = operations
      .filter((operation) => operation.path.startsWith('/api/'))
      .map((operation) => `${operation.method.toUpperCase()} ${operation.path}`)
      .sort();
    expect(documented).toEqual(declaredRoutes().filter((route) => route !== 'GET /api/openapi.json'));
  });

  it('is an OpenAPI 3.0 document generated from the request schemas', async () => {
    const response = await fetch(`${server.baseUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe('3.0.3');
    const submit = document.paths['/api/reports'].post;
    const json = submit.requestBody.content['application/json'].schema;
    expect(json.required).toEqual(expect.arrayContaining(['category', 'description', 'location']));
    expect(json.additionalProperties).toBe(false);
    expect(submit.requestBody.content['multipart/form-data'].schema.properties.photos.maxItems).toBe(5);
    const locate = document.paths['/api/locate'].get.parameters.map((parameter: { name: string; required: boolean }) => [parameter.name, parameter.required]);
    expect(locate).toEqual([['lon', true], ['lat', true], ['at', false]]);
    const action = document.paths['/api/staff/reports/{reportId}/actions'].post;
    expect(action['x-roles']).toEqual(['officer', 'ioc_operator', 'admin']);
    expect(action.requestBody.content['application/json'].schema.oneOf.length).toBeGreaterThanOrEqual(10);
  });

  it('documents the responses the client reads with the schemas of @bandoso/contracts', async () => {
    const document = await (await fetch(`${server.baseUrl}/api/openapi.json`)).json();
    const jsonSchema = (path: string, method: string, status: string) => document.paths[path][method].responses[status].content['application/json'].schema;
    const receipt = jsonSchema('/api/reports', 'post', '201');
    expect(receipt.required).toEqual(expect.arrayContaining(['trackingCode', 'status', 'commune', 'office', 'acknowledgeDueAt', 'dueAt', 'reporterToken']));
    expect(receipt.additionalProperties).toBe(false);
    expect(jsonSchema('/api/reports', 'post', '200')).toEqual(receipt);
    expect(jsonSchema('/api/client-config', 'get', '200').properties.defaultLanguage.enum).toEqual(['vi', 'en']);
    expect(jsonSchema('/api/planning/plans', 'get', '200').properties.plans.type).toBe('array');
    expect(jsonSchema('/api/planning/at', 'get', '200').properties.zones.items.required).toEqual(expect.arrayContaining(['zoneCode', 'landUseCode', 'maxFloors', 'far']));
    expect(jsonSchema('/api/planning/changes', 'get', '200').properties.changes.items.properties.change.enum).toEqual(['added', 'removed', 'changed']);
    const statistics = jsonSchema('/api/stats', 'get', '200');
    expect(statistics.properties.totals.required).toEqual(expect.arrayContaining(['received', 'open', 'overdue', 'onTimeRate']));
    expect(statistics.properties.groupBy.enum).toEqual(['commune', 'office', 'category', 'day', 'month']);
    expect(jsonSchema('/api/stats/overdue', 'get', '200').properties.reports.items.properties.status.enum).toContain('waiting_for_citizen');
    expect(jsonSchema('/api/heritage', 'get', '200').properties.sites.items.required).toEqual(expect.arrayContaining(['code', 'name', 'rank', 'position', 'tileset', 'stops']));
    expect(jsonSchema('/api/heritage/{code}', 'get', '200').properties.stops.items.properties.camera.required).toEqual(['position', 'target']);
    expect(jsonSchema('/api/admin/heritage/{code}/stops', 'put', '200')).toEqual(jsonSchema('/api/heritage/{code}', 'get', '200'));
    expect(document.paths['/api/admin/heritage/{code}/stops'].put['x-roles']).toEqual(['admin']);
    expect(Object.keys(document.paths['/heritage/tilesets/{code}/{version}/{path}'].get.responses['200'].content)).toEqual(expect.arrayContaining(['application/json', 'model/gltf-binary']));
    const feed = document.paths['/api/reports/events'].get.responses['200']['x-events'];
    expect(Object.keys(feed)).toEqual(['report.created', 'report.updated', 'feed.position', 'camera.status']);
    expect(feed['report.created'].properties.report.properties.status.enum).toEqual(['received', 'accepted', 'in_progress', 'waiting_for_citizen', 'resolved', 'rejected', 'transferred', 'reopened', 'duplicate']);
    expect(document.components.schemas.Error.properties.error.required).toEqual(expect.arrayContaining(['code', 'message', 'requestId']));
  });

  it('documents 503 DATABASE_UNAVAILABLE, with Retry-After, wherever the database is read', async () => {
    const document = await (await fetch(`${server.baseUrl}/api/openapi.json`)).json();
    expect(document.components.responses.DatabaseUnavailable.headers['Retry-After']).toBeDefined();
    expect(document.paths['/api/reports'].post.responses['503']).toEqual({ $ref: '#/components/responses/DatabaseUnavailable' });
    expect(document.paths['/tiles/{layer}/{z}/{x}/{y}.mvt'].get.responses['503']).toBeDefined();
    expect(document.paths['/api/client-config'].get.responses['503']).toBeUndefined();
  });
});
