/** What the tests that walk the published OpenAPI document share: its operations, and paths to call them on. */

export interface DocumentedParameter {
  name: string;
  in: 'query' | 'path' | 'header';
}

export interface DocumentedSchema {
  properties?: Record<string, unknown>;
  oneOf?: DocumentedSchema[];
}

export interface DocumentedOperation {
  /** The path as documented, with `{name}` parameters. */
  template: string;
  method: string;
  parameters: DocumentedParameter[];
  /** The JSON body's schema, when the operation takes one. */
  jsonBody: DocumentedSchema | undefined;
  /** Who may call it (absent: anyone). */
  roles: string[] | undefined;
}

interface OperationObject {
  parameters?: DocumentedParameter[];
  requestBody?: { content: Record<string, { schema: DocumentedSchema }> };
  'x-roles'?: string[];
}

/** The platform's OpenAPI documents: the JSON API with the tiles, and OGC API – Features and Tiles. */
const documents = ['/api/openapi.json', '/ogc/api'];

/** Every operation of every published OpenAPI document, with its full path (the document's server path first). */
export async function documentedOperations(baseUrl: string): Promise<DocumentedOperation[]> {
  const operations: DocumentedOperation[] = [];
  for (const address of documents) {
    const document = (await (await fetch(`${baseUrl}${address}`)).json()) as { servers?: Array<{ url: string }>; paths: Record<string, Record<string, OperationObject>> };
    const server = document.servers?.[0]?.url;
    const prefix = server ? new URL(server, baseUrl).pathname.replace(/\/$/, '') : '';
    operations.push(...operationsOf(document.paths, prefix));
  }
  return operations;
}

function operationsOf(paths: Record<string, Record<string, OperationObject>>, prefix: string): DocumentedOperation[] {
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      template: prefix + (path === '/' && prefix ? '' : path),
      method: method.toUpperCase(),
      parameters: operation.parameters ?? [],
      jsonBody: operation.requestBody?.content['application/json']?.schema,
      roles: operation['x-roles'],
    })),
  );
}

/** Well-formed values of the path parameters, naming nothing that exists (an unknown id, a future day). */
const placeholders: Record<string, string> = {
  trackingCode: 'DB-ABCDEF',
  reportId: '00000000-0000-4000-8000-000000000000',
  photoId: '00000000-0000-4000-8000-000000000000',
  deliveryId: '00000000-0000-4000-8000-000000000000',
  officeCode: 'UBND-03127',
  code: 'normal',
  day: '2031-01-02',
  layer: 'reports',
  z: '10',
  x: '812',
  y: '445',
  featureId: '00000000-0000-4000-8000-000000000000',
  tileMatrixSetId: 'WebMercatorQuad',
  tileMatrix: '10',
  tileRow: '445',
  tileCol: '812',
};

/** The documented path with its parameters filled: `values` first, else a placeholder. */
export function fillPath(template: string, values: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? placeholders[name] ?? 'x'));
}
