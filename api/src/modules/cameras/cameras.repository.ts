import { sql, type Selectable } from 'kysely';
import type { PointGeometry } from '@bandoso/contracts';
import type { CameraStatus, CameraTable, CameraVisibility, DatabaseExecutor } from '../../db/database-schema.ts';
import { asGeoJson, distanceMetres, makePoint } from '../../db/postgis.ts';

/** A camera as the API shows it: every column but the source address, with its geometries as GeoJSON. */
export interface CameraRow {
  id: string;
  code: string;
  name: string;
  visibility: CameraVisibility;
  owner: string | null;
  status: CameraStatus;
  last_seen_at: Date | null;
  bearing_deg: number;
  hfov_deg: number;
  range_m: number;
  location: PointGeometry;
  fov: { type: 'Polygon'; coordinates: Array<Array<[number, number]>> };
  retired_at: Date | null;
}

/** The columns of CameraRow; never `stream_url`. */
function selectCamera(db: DatabaseExecutor) {
  return db
    .selectFrom('camera')
    .select([
      'camera.id',
      'camera.code',
      'camera.name',
      'camera.visibility',
      'camera.owner',
      'camera.status',
      'camera.last_seen_at',
      'camera.bearing_deg',
      'camera.hfov_deg',
      'camera.range_m',
      'camera.retired_at',
      asGeoJson<PointGeometry>(sql.ref('camera.location')).as('location'),
      asGeoJson<CameraRow['fov']>(sql.ref('camera.fov')).as('fov'),
    ]);
}

/** Cameras in service of the given visibilities, by code. */
export async function listCameras(db: DatabaseExecutor, visibilities: readonly CameraVisibility[]): Promise<CameraRow[]> {
  if (visibilities.length === 0) return [];
  return selectCamera(db).where('camera.retired_at', 'is', null).where('camera.visibility', 'in', visibilities).orderBy('camera.code').execute();
}

/** Every camera, retired ones too (the admin's list). */
export async function listAllCameras(db: DatabaseExecutor): Promise<CameraRow[]> {
  return selectCamera(db).orderBy('camera.code').execute();
}

export async function findCamera(db: DatabaseExecutor, id: string): Promise<CameraRow | undefined> {
  return selectCamera(db).where('camera.id', '=', id).executeTakeFirst();
}

export async function findCameraByCode(db: DatabaseExecutor, code: string): Promise<CameraRow | undefined> {
  return selectCamera(db).where('camera.code', '=', code).executeTakeFirst();
}

/** The source address of a camera in service (the relay's only reader of it). */
export async function findCameraSource(db: DatabaseExecutor, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('camera').select('stream_url').where('id', '=', id).where('retired_at', 'is', null).executeTakeFirst();
  return row?.stream_url;
}

/** Cameras the health checker reads: in service and not in maintenance. */
export async function listCheckedCameras(db: DatabaseExecutor): Promise<Array<{ id: string; code: string; visibility: CameraVisibility; status: CameraStatus; stream_url: string }>> {
  return db
    .selectFrom('camera')
    .select(['id', 'code', 'visibility', 'status', 'stream_url'])
    .where('retired_at', 'is', null)
    .where('status', '<>', 'maintenance')
    .orderBy('code')
    .execute();
}

/**
 * Cameras in service whose field of view holds a point, nearest first (geodesic distance), of the
 * given visibilities. The GiST index on `fov` finds the candidates; ST_Covers keeps a point on the
 * edge of a cone.
 */
export async function findCamerasSeeing(db: DatabaseExecutor, longitude: number, latitude: number, visibilities: readonly CameraVisibility[]): Promise<Array<CameraRow & { distance_m: number }>> {
  if (visibilities.length === 0) return [];
  const point = makePoint(longitude, latitude);
  return selectCamera(db)
    .select(distanceMetres(sql.ref('camera.location'), point).as('distance_m'))
    .where('camera.retired_at', 'is', null)
    .where('camera.visibility', 'in', visibilities)
    .where(sql<boolean>`camera.fov && ${point}`)
    .where(sql<boolean>`ST_Covers(camera.fov, ${point})`)
    .orderBy('distance_m')
    .orderBy('camera.code')
    .execute();
}

export type CameraWrite = Pick<Selectable<CameraTable>, 'code' | 'name' | 'bearing_deg' | 'hfov_deg' | 'range_m' | 'stream_url' | 'visibility' | 'owner' | 'status'> & { lon: number; lat: number };

export async function insertCamera(db: DatabaseExecutor, camera: CameraWrite): Promise<string> {
  const { lon, lat, ...columns } = camera;
  const row = await db
    .insertInto('camera')
    .values({ ...columns, location: makePoint(lon, lat), properties: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCamera(db: DatabaseExecutor, id: string, changes: Partial<CameraWrite>): Promise<void> {
  const { lon, lat, ...columns } = changes;
  await db
    .updateTable('camera')
    .set({ ...columns, ...(lon !== undefined && lat !== undefined ? { location: makePoint(lon, lat) } : {}), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function retireCamera(db: DatabaseExecutor, id: string): Promise<void> {
  await db.updateTable('camera').set({ retired_at: sql<Date>`now()`, updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/**
 * Writes what the health checker saw: the status, and `last_seen_at` when the camera answered.
 * Answers whether the status changed, with what the live feed says of the camera.
 */
export async function recordCameraHealth(
  db: DatabaseExecutor,
  id: string,
  status: CameraStatus,
  seenAt: Date | null,
): Promise<{ changed: boolean; previous: CameraStatus; visibility: CameraVisibility; lastSeenAt: Date | null } | undefined> {
  const before = await db.selectFrom('camera').select(['status', 'visibility', 'last_seen_at']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!before) return undefined;
  // Staff's maintenance is not the checker's to undo.
  if (before.status === 'maintenance') return { changed: false, previous: before.status, visibility: before.visibility, lastSeenAt: before.last_seen_at };
  await db
    .updateTable('camera')
    .set({ status, ...(seenAt ? { last_seen_at: seenAt } : {}), ...(status !== before.status ? { updated_at: sql<Date>`now()` } : {}) })
    .where('id', '=', id)
    .execute();
  return { changed: status !== before.status, previous: before.status, visibility: before.visibility, lastSeenAt: seenAt ?? before.last_seen_at };
}

export async function insertCameraEvent(
  db: DatabaseExecutor,
  event: { cameraId: string; kind: 'created' | 'updated' | 'retired' | 'status'; actorUserId: string | null; actorRole: string; changes: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('camera_event')
    .values({ camera_id: event.cameraId, kind: event.kind, actor_user_id: event.actorUserId, actor_role: event.actorRole, changes: JSON.stringify(event.changes) })
    .execute();
}

export async function listCameraEvents(db: DatabaseExecutor, cameraId: string) {
  return db
    .selectFrom('camera_event')
    .leftJoin('app_user', 'app_user.id', 'camera_event.actor_user_id')
    .select(['camera_event.id', 'camera_event.kind', 'camera_event.actor_role', 'camera_event.changes', 'camera_event.created_at', 'app_user.email as actor_email', 'app_user.display_name as actor_name'])
    .where('camera_event.camera_id', '=', cameraId)
    .orderBy('camera_event.id')
    .execute();
}
