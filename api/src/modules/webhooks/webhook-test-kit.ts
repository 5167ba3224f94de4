import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/database.ts';
import { createUser } from '../auth/auth.service.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER, verifySignature } from './signing.ts';

/**
 * The fake document system listens on 127.0.0.1, which the platform refuses by default (webhooks go
 * to public addresses only): the tests allow exactly that address, as a deployment allows its
 * internal network.
 */
export const LOOPBACK_ALLOWED = { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32' } as const;
export const loopbackPolicy = { allowedNetworks: ['127.0.0.1/32'] } as const;

/** Test helpers of the webhook tests (not a test file itself). */

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
  body: any;
  /** Whether the signature checked out with the receiver's secret, as an integrator's code would check it. */
  signatureValid: boolean;
  /** What the receiver answered. */
  answeredStatus: number;
}

export type ReceiverBehaviour = { status: number; headers?: Record<string, string> } | { hang: true };

/**
 * A stand-in for the office's document system (TDOffice): records every request, verifies its
 * signature, and answers the deliveries about one report from that report's queue of behaviours
 * (then 200). `processed` holds the delivery ids it acted on, once each, as a receiver that dedupes
 * by X-Bandoso-Delivery would.
 */
export class FakeDocumentSystem {
  readonly requests: ReceivedRequest[] = [];
  readonly processed = new Set<string>();
  secret = '';
  #queues = new Map<string, ReceiverBehaviour[]>();
  #server: http.Server;
  #hanging = new Set<http.ServerResponse>();

  private constructor() {
    this.#server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const problem = verifySignature(this.secret, rawBody, header(request.headers, TIMESTAMP_HEADER), header(request.headers, SIGNATURE_HEADER));
        let body: any = null;
        try {
          body = JSON.parse(rawBody.toString('utf8'));
        } catch {
          // recorded as null
        }
        const behaviour = this.#queues.get(String(body?.report?.trackingCode))?.shift() ?? { status: 200 };
        const deliveryId = header(request.headers, DELIVERY_HEADER);
        // Processing happens before answering: a failure answer below does not undo it.
        if (problem === null && deliveryId) this.processed.add(deliveryId);
        const answeredStatus = 'hang' in behaviour ? 0 : behaviour.status;
        this.requests.push({ headers: request.headers, rawBody, body, signatureValid: problem === null, answeredStatus });
        if ('hang' in behaviour) {
          this.#hanging.add(response);
          return;
        }
        response.writeHead(behaviour.status, { 'Content-Type': 'application/json', ...behaviour.headers }).end('{"ok":true}');
      });
    });
  }

  static async start(): Promise<FakeDocumentSystem> {
    const receiver = new FakeDocumentSystem();
    await new Promise<void>((resolve) => receiver.#server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/tdoffice/hooks`;
  }

  /** The next requests about this report are answered like this, in order. */
  answer(trackingCode: string, ...behaviours: ReceiverBehaviour[]): void {
    this.#queues.set(trackingCode, [...(this.#queues.get(trackingCode) ?? []), ...behaviours]);
  }

  /** The requests about one report, in the order they came. */
  about(trackingCode: string, event?: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.body?.report?.trackingCode === trackingCode && (event === undefined || request.body?.event === event));
  }

  async close(): Promise<void> {
    for (const response of this.#hanging) response.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** A staff account and its bearer token (through the real sign-in). */
export async function signInStaff(database: DatabaseHandle, baseUrl: string, role: 'officer' | 'admin' | 'ioc_operator' | 'citizen', officeCode: string | null = null) {
  const office = officeCode ? await database.db.selectFrom('office').select('id').where('code', '=', officeCode).executeTakeFirstOrThrow() : undefined;
  const email = `${role}.${randomBytes(4).toString('hex')}@test.bandoso.vn`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  await createUser(database.db, { email, displayName: `Test ${role}`, password, role, officeId: office?.id ?? null });
  const response = await fetch(`${baseUrl}/api/auth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (response.status !== 201) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  return { token, authorization: `Bearer ${token}` };
}

/** A point inside a commune of the 2025 boundary set (PostGIS's point on surface). */
export async function pointInCommune(database: DatabaseHandle, unitCode: string): Promise<[number, number]> {
  const result = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
      SELECT ST_PointOnSurface(unit.geom) AS p FROM admin_unit unit JOIN boundary_set ON boundary_set.id = unit.boundary_set_id
      WHERE boundary_set.name = 'dienbien-2025' AND unit.code = ${unitCode}) AS point`.execute(database.db);
  const row = result.rows[0];
  if (!row) throw new Error(`no unit ${unitCode}`);
  return [Number(row.lon), Number(row.lat)];
}

/** A citizen's report through the public API. */
export async function submitReport(baseUrl: string, location: [number, number], extra: Record<string, unknown> = {}) {
  const response = await fetch(`${baseUrl}/api/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ category: 'public_lighting', description: 'Đèn đường hỏng ở đầu ngõ, tối om cả tuần nay.', location: { type: 'Point', coordinates: location }, ...extra }),
  });
  if (response.status !== 201) throw new Error(`report failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; trackingCode: string; office: { code: string } };
}

export async function api(baseUrl: string, method: string, path: string, options: { authorization?: string; body?: unknown } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(options.authorization ? { Authorization: options.authorization } : {}) },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : null };
}

/** Posts a status update as the document system would: signed over the exact bytes sent. */
export async function postInbound(
  baseUrl: string,
  officeCode: string,
  secret: string,
  update: Record<string, unknown>,
  options: { timestamp?: number; signature?: string; omitSignature?: boolean } = {},
) {
  const rawBody = JSON.stringify(update);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (!options.omitSignature) {
    headers[TIMESTAMP_HEADER] = String(timestamp);
    headers[SIGNATURE_HEADER] = options.signature ?? signPayload(secret, timestamp, rawBody);
  }
  const response = await fetch(`${baseUrl}/api/webhooks/inbound/${encodeURIComponent(officeCode)}`, { method: 'POST', headers, body: rawBody });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : null };
}
