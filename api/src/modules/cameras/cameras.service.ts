import type { CameraFeature, CameraWatch, CamerasSeeing, CameraVisibility } from '@bandoso/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Principal } from '../auth/auth.service.ts';
import { locatePoint } from '../boundaries/boundaries.service.ts';
import type { WebhookTargetGuard } from '../webhooks/webhook-target-policy.ts';
import type { CameraUrlSigner } from './camera-url-signing.ts';
import * as repository from './cameras.repository.ts';
import type { CameraCreateInput, CameraPatchInput } from './cameras.schema.ts';

/** Who watches restricted cameras and manages the registry. */
const operationsRoles = new Set<Principal['role']>(['ioc_operator', 'admin']);

/** The visibilities a caller may watch: public cameras for everyone, all for the IOC and admins. */
export function visibleTo(principal: Principal | undefined): CameraVisibility[] {
  return principal && operationsRoles.has(principal.role) ? ['public', 'restricted'] : ['public'];
}

export function toCameraFeature(row: repository.CameraRow): CameraFeature {
  return {
    type: 'Feature',
    id: row.id,
    geometry: row.location,
    properties: {
      id: row.id,
      code: row.code,
      name: row.name,
      visibility: row.visibility,
      owner: row.owner,
      status: row.status,
      lastSeenAt: row.last_seen_at?.toISOString() ?? null,
      bearingDeg: row.bearing_deg,
      hfovDeg: row.hfov_deg,
      rangeM: row.range_m,
      fieldOfView: row.fov,
    },
  };
}

const cameraNotFound = () =>
  new AppError('NOT_FOUND', 'No camera in service has this id. The map’s camera list (GET /api/cameras) has the current ones.', {
    vi: 'Không có camera đang hoạt động với mã này. Hãy chọn lại camera trên bản đồ.',
  });

export async function listCamerasFor(db: Kysely<Database>, principal: Principal | undefined) {
  return { type: 'FeatureCollection' as const, features: (await repository.listCameras(db, visibleTo(principal))).map(toCameraFeature) };
}

export async function camerasSeeing(db: Kysely<Database>, principal: Principal | undefined, longitude: number, latitude: number): Promise<CamerasSeeing> {
  const rows = await repository.findCamerasSeeing(db, longitude, latitude, visibleTo(principal));
  return { cameras: rows.map((row) => ({ ...toCameraFeature(row), distanceM: Math.round(row.distance_m * 10) / 10 })) };
}

/** A camera the caller may watch, or the 401 / 403 / 404 that says why not. */
export async function findWatchableCamera(db: Kysely<Database>, principal: Principal | undefined, id: string): Promise<repository.CameraRow> {
  const camera = await repository.findCamera(db, id);
  if (!camera || camera.retired_at !== null) throw cameraNotFound();
  if (camera.visibility === 'restricted') {
    if (!principal) throw new AppError('UNAUTHENTICATED', 'This camera is restricted: sign in as an IOC operator or admin to watch it.', { vi: 'Camera này hạn chế quyền xem: hãy đăng nhập bằng tài khoản Trung tâm điều hành (IOC).' });
    if (!operationsRoles.has(principal.role)) {
      throw new AppError('FORBIDDEN', 'This camera is restricted to IOC operators and admins.', { vi: 'Camera này chỉ dành cho cán bộ Trung tâm điều hành (IOC) và quản trị viên.' });
    }
  }
  return camera;
}

export interface WatchOptions {
  signer: CameraUrlSigner;
  ttlS: number;
  rewindMinutes: number;
  now?: Date;
}

/** A signed playlist URL for a camera the caller may watch: live, or rewound to `from`. */
export async function watchCamera(db: Kysely<Database>, principal: Principal | undefined, id: string, from: string | undefined, options: WatchOptions): Promise<CameraWatch> {
  const camera = await findWatchableCamera(db, principal, id);
  const now = options.now ?? new Date();
  if (from !== undefined) {
    const at = new Date(from);
    if (options.rewindMinutes === 0) throw new AppError('VALIDATION_FAILED', 'This platform keeps no recordings (CAMERA_REWIND_MINUTES is 0): watch live instead.', { vi: 'Hệ thống không lưu hình ảnh camera để xem lại.' });
    if (at.getTime() > now.getTime()) throw new AppError('VALIDATION_FAILED', 'from is in the future: give a time of the last minutes, or leave it out to watch live.', { vi: 'Thời điểm xem lại nằm trong tương lai.' });
    if (now.getTime() - at.getTime() > options.rewindMinutes * 60_000) {
      throw new AppError('VALIDATION_FAILED', `from is more than ${options.rewindMinutes} minutes ago: the relay keeps only the last ${options.rewindMinutes} minutes of each camera.`, {
        vi: `Chỉ xem lại được ${options.rewindMinutes} phút gần nhất của camera.`,
      });
    }
  }
  const expiresAtS = Math.floor(now.getTime() / 1000) + options.ttlS;
  const query = options.signer.query(camera.id, expiresAtS);
  return {
    url: `/api/cameras/${camera.id}/stream.m3u8?${query}${from !== undefined ? `&from=${encodeURIComponent(new Date(from).toISOString())}` : ''}`,
    expiresAt: new Date(expiresAtS * 1000).toISOString(),
    renewAfterS: Math.max(5, options.ttlS - 60),
    rewindMinutes: options.rewindMinutes,
  };
}

// ---- the registry (IOC operators and admins) ---------------------------------------------------------

export interface RegistryOptions {
  guard: WebhookTargetGuard;
  /** The platform's own port: a camera source on this machine at this port would be the platform itself. */
  ownPort: number;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '::1', '0.0.0.0', '[::1]']);

function sourceProblem(url: string, options: RegistryOptions): string | undefined {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
  if ((loopbackHosts.has(host) || host.startsWith('127.') || host.endsWith('.localhost')) && port === options.ownPort) return `${host}:${port} is this platform itself`;
  if (parsed.username !== '' || parsed.password !== '') return 'put no user name or password in the address: give the relay a URL that needs none (e.g. through MediaMTX)';
  return options.guard.problemWithUrl(url);
}

function refuseSource(problem: string): AppError {
  return new AppError('VALIDATION_FAILED', `streamUrl: ${problem}. The relay reaches cameras at public addresses only, unless the platform's operator allows their network (CAMERA_ALLOWED_NETWORKS).`, {
    vi: `streamUrl: địa chỉ camera không được phép (${problem}). Hệ thống chỉ kết nối tới camera ở địa chỉ công khai hoặc mạng được cho phép (CAMERA_ALLOWED_NETWORKS).`,
    details: [{ parameter: 'streamUrl', problem }],
  });
}

async function assertInsideProvince(db: Kysely<Database>, lon: number, lat: number): Promise<void> {
  try {
    await locatePoint(db, lon, lat);
  } catch (error) {
    if (error instanceof AppError && (error.code === 'OUTSIDE_PROVINCE' || error.code === 'NO_BOUNDARY_SET')) {
      throw new AppError('VALIDATION_FAILED', `The position (lon ${lon}, lat ${lat}) is outside Điện Biên province: check it, and that lon and lat are not swapped.`, {
        vi: `Vị trí (kinh độ ${lon}, vĩ độ ${lat}) nằm ngoài tỉnh Điện Biên. Hãy kiểm tra lại.`,
        details: [{ parameter: 'lon, lat', problem: 'outside the province' }],
      });
    }
    throw error;
  }
}

/** DB columns of the API's field names that the API shows (the source address is audited apart). */
const columnOf = {
  name: 'name',
  bearingDeg: 'bearing_deg',
  hfovDeg: 'hfov_deg',
  rangeM: 'range_m',
  visibility: 'visibility',
  owner: 'owner',
  status: 'status',
} as const satisfies Record<string, keyof repository.CameraRow & keyof repository.CameraWrite>;

/** A bearing of 360° is north, stored as 0. */
const normaliseBearing = (bearing: number) => (bearing >= 360 ? 0 : bearing);

export async function createCamera(db: Kysely<Database>, principal: Principal, input: CameraCreateInput, options: RegistryOptions): Promise<CameraFeature> {
  const problem = sourceProblem(input.streamUrl, options);
  if (problem) throw refuseSource(problem);
  await assertInsideProvince(db, input.lon, input.lat);
  if (await repository.findCameraByCode(db, input.code)) {
    throw new AppError('CONFLICT', `A camera with the code ${input.code} exists already: choose another code, or edit that camera.`, { vi: `Đã có camera mã ${input.code}.` });
  }
  const id = await db.transaction().execute(async (transaction) => {
    const created = await repository.insertCamera(transaction, {
      code: input.code,
      name: input.name,
      lon: input.lon,
      lat: input.lat,
      bearing_deg: normaliseBearing(input.bearingDeg),
      hfov_deg: input.hfovDeg,
      range_m: input.rangeM,
      stream_url: input.streamUrl,
      visibility: input.visibility,
      owner: input.owner,
      status: input.status,
    });
    const { streamUrl: _source, ...described } = input;
    await repository.insertCameraEvent(transaction, { cameraId: created, kind: 'created', actorUserId: principal.userId, actorRole: principal.role, changes: { ...described, streamUrl: 'set' } });
    return created;
  });
  return toCameraFeature((await repository.findCamera(db, id))!);
}

export async function updateCamera(db: Kysely<Database>, principal: Principal, id: string, patch: CameraPatchInput, options: RegistryOptions): Promise<{ camera: CameraFeature; sourceChanged: boolean }> {
  const before = await repository.findCamera(db, id);
  if (!before || before.retired_at !== null) throw cameraNotFound();
  if (patch.streamUrl !== undefined) {
    const problem = sourceProblem(patch.streamUrl, options);
    if (problem) throw refuseSource(problem);
  }
  if (patch.lon !== undefined && patch.lat !== undefined) await assertInsideProvince(db, patch.lon, patch.lat);
  const changes: Record<string, unknown> = {};
  const write: Partial<repository.CameraWrite> = {};
  for (const [field, column] of Object.entries(columnOf) as Array<[keyof typeof columnOf, (typeof columnOf)[keyof typeof columnOf]]>) {
    const value = patch[field];
    if (value === undefined) continue;
    const stored = field === 'bearingDeg' ? normaliseBearing(value as number) : value;
    Object.assign(write, { [column]: stored });
    changes[field] = { from: before[column], to: stored };
  }
  if (patch.streamUrl !== undefined) {
    write.stream_url = patch.streamUrl;
    changes.streamUrl = 'changed';
  }
  if (patch.lon !== undefined && patch.lat !== undefined) {
    write.lon = patch.lon;
    write.lat = patch.lat;
    changes.position = { from: before.location.coordinates, to: [patch.lon, patch.lat] };
  }
  await db.transaction().execute(async (transaction) => {
    await repository.updateCamera(transaction, id, write);
    await repository.insertCameraEvent(transaction, { cameraId: id, kind: 'updated', actorUserId: principal.userId, actorRole: principal.role, changes });
  });
  return { camera: toCameraFeature((await repository.findCamera(db, id))!), sourceChanged: patch.streamUrl !== undefined };
}

export async function retireCamera(db: Kysely<Database>, principal: Principal, id: string): Promise<void> {
  const before = await repository.findCamera(db, id);
  if (!before || before.retired_at !== null) throw cameraNotFound();
  await db.transaction().execute(async (transaction) => {
    await repository.retireCamera(transaction, id);
    await repository.insertCameraEvent(transaction, { cameraId: id, kind: 'retired', actorUserId: principal.userId, actorRole: principal.role, changes: {} });
  });
}

export async function listRegistry(db: Kysely<Database>) {
  const rows = await repository.listAllCameras(db);
  return { cameras: rows.map((row) => ({ ...toCameraFeature(row), retiredAt: row.retired_at?.toISOString() ?? null })) };
}

export async function cameraHistory(db: Kysely<Database>, id: string) {
  if (!(await repository.findCamera(db, id))) throw cameraNotFound();
  const events = await repository.listCameraEvents(db, id);
  return {
    events: events.map((event) => ({
      kind: event.kind,
      at: event.created_at.toISOString(),
      actor: { role: event.actor_role, email: event.actor_email, name: event.actor_name },
      changes: event.changes,
    })),
  };
}
